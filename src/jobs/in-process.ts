import { randomUUID } from "node:crypto";
import { JarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { backoffDelay } from "./backoff.ts";
import { type EnqueueOptions, type JobHandler, type Jobs, type JobView, workerName } from "./types.ts";

interface Entry {
  view: JobView;
  options: EnqueueOptions;
  timer?: NodeJS.Timeout;
}

/** Jobs kept after they end (the newest), like the Redis queue's removeOnComplete/removeOnFail. */
export const keepFinished = 1000;

/**
 * Jobs in this process: the default, with no Redis. Same contract as the BullMQ queue (retries
 * with backoff, progress, states, jobId dedupe, schedules), so code written against `Jobs` runs
 * the same on one process and on many. Nothing survives a restart, as before the queue existed.
 */
export function createInProcessJobs(options: { log: Logger; concurrency?: number }): Jobs {
  const concurrency = options.concurrency ?? 4;
  const handlers = new Map<string, JobHandler>();
  const jobs = new Map<string, Entry>();
  const queue: Entry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const waiters: Array<() => void> = [];
  const schedules = new Map<string, { timer?: NodeJS.Timeout; fire(): void }>();
  let started = false;
  let closed = false;

  const now = () => new Date().toISOString();
  const copy = (view: JobView): JobView => structuredClone(view);

  function settleIdle() {
    if (running.size || queue.length) return;
    for (const resolve of waiters.splice(0)) resolve();
  }

  function prune() {
    const finished = [...jobs.values()].filter((e) => e.view.finishedAt);
    for (const entry of finished.slice(0, Math.max(0, finished.length - keepFinished)))
      jobs.delete(entry.view.id);
  }

  function pump() {
    while (started && !closed && running.size < concurrency && queue.length) {
      const entry = queue.shift()!;
      const task = run(entry).finally(() => {
        running.delete(task);
        pump();
        settleIdle();
      });
      running.add(task);
    }
  }

  async function run(entry: Entry): Promise<void> {
    const { view } = entry;
    const handler = handlers.get(view.name);
    view.state = "active";
    view.attempts++;
    view.startedAt = now();
    view.worker = workerName();
    const log = options.log.child({ job: view.name, id: view.id });
    try {
      if (!handler) throw new JarvisError("internal", `No handler for job ${view.name}`);
      const result = await handler(structuredClone(view.data), {
        id: view.id,
        name: view.name,
        attempt: view.attempts,
        log,
        progress: async (value) => {
          view.progress = structuredClone(value);
        },
      });
      view.result = result === undefined ? undefined : structuredClone(result);
      view.state = "completed";
      view.error = undefined;
      view.finishedAt = now();
    } catch (error) {
      view.error = error instanceof Error ? error.message : String(error);
      if (view.attempts < view.maxAttempts && !closed) {
        view.state = "delayed";
        later(entry, backoffDelay(entry.options.backoff, view.attempts));
      } else {
        view.state = "failed";
        view.finishedAt = now();
        log.warn("job failed", { attempts: view.attempts, error: view.error });
      }
    }
    prune();
  }

  function later(entry: Entry, ms: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      entry.view.state = "waiting";
      queue.push(entry);
      pump();
    }, ms);
    timers.add(timer);
  }

  function add(name: string, data: unknown, opts: EnqueueOptions): JobView {
    if (closed) throw new JarvisError("unavailable", "The job queue is closed");
    const existing = opts.jobId ? jobs.get(opts.jobId) : undefined;
    if (existing) return copy(existing.view);
    const view: JobView = {
      id: opts.jobId ?? randomUUID(),
      name,
      state: opts.delay ? "delayed" : "waiting",
      progress: 0,
      attempts: 0,
      maxAttempts: Math.max(1, opts.attempts ?? 1),
      data: data === undefined ? null : structuredClone(data),
      createdAt: now(),
    };
    const entry: Entry = { view, options: opts };
    jobs.set(view.id, entry);
    if (opts.delay) later(entry, opts.delay);
    else queue.push(entry);
    pump();
    return copy(view);
  }

  return {
    kind: "in-process",
    define(name, handler) {
      handlers.set(name, handler as JobHandler);
    },
    async enqueue(name, data, opts = {}) {
      return add(name, data, opts);
    },
    async get(id) {
      const entry = jobs.get(id);
      return entry && copy(entry.view);
    },
    async list(filter = {}) {
      return [...jobs.values()]
        .map((e) => e.view)
        .filter(
          (v) => (!filter.state || v.state === filter.state) && (!filter.name || v.name === filter.name),
        )
        .reverse()
        .slice(0, filter.limit ?? 100)
        .map(copy);
    },
    async schedule(id, name, spec) {
      clearInterval(schedules.get(id)?.timer);
      const entry: { timer?: NodeJS.Timeout; last?: string; fire(): void } = {
        fire() {
          if (!started || closed) return;
          // One at a time per schedule, as BullMQ's scheduler adds the next job only once one is taken.
          const last = entry.last ? jobs.get(entry.last) : undefined;
          if (last && !last.view.finishedAt) return;
          entry.last = add(name, spec.data ?? null, { attempts: spec.attempts }).id;
        },
      };
      entry.timer = setInterval(entry.fire, spec.every);
      entry.timer.unref();
      schedules.set(id, entry);
      entry.fire();
    },
    async unschedule(id) {
      clearInterval(schedules.get(id)?.timer);
      schedules.delete(id);
    },
    async start() {
      started = true;
      for (const entry of schedules.values()) entry.fire();
      pump();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settleIdle();
      }),
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const entry of schedules.values()) clearInterval(entry.timer);
      await Promise.allSettled([...running]);
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
