import { type Job, Queue, Worker } from "bullmq";
import { JarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import { keepFinished } from "./in-process.ts";
import { type JobHandler, type JobState, type Jobs, type JobView, workerName } from "./types.ts";

export interface BullJobsOptions {
  redis: Redis;
  log: Logger;
  /** Jobs run at once by this process's worker (default 4). */
  concurrency?: number;
  /**
   * How long a worker's hold on a job lasts without renewal, and how often stalled jobs (their
   * worker died) are looked for and handed to another worker: BullMQ's lockDuration and
   * stalledInterval (default 30 s). Tests lower it so a SIGKILLed worker's job moves on quickly.
   */
  lockMs?: number;
  /** Redis key prefix (default "jarvis"); tests use one per run. */
  prefix?: string;
}

const queueName = "jobs";

const stateOf = (state: string): JobState =>
  state === "active" || state === "completed" || state === "failed" || state === "delayed"
    ? state
    : "waiting";

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

async function view(job: Job, known?: JobState): Promise<JobView> {
  const state = known ?? stateOf(await job.getState());
  const attempts = Math.max(job.attemptsStarted ?? 0, job.attemptsMade);
  return {
    id: job.id!,
    name: job.name,
    state,
    progress: (job.progress as JobView["progress"]) ?? 0,
    attempts,
    maxAttempts: job.opts.attempts ?? 1,
    data: job.data ?? null,
    ...(state === "completed" && job.returnvalue !== undefined ? { result: job.returnvalue } : {}),
    ...(job.failedReason ? { error: job.failedReason } : {}),
    ...(job.processedBy ? { worker: job.processedBy } : {}),
    createdAt: iso(job.timestamp)!,
    ...(job.processedOn ? { startedAt: iso(job.processedOn) } : {}),
    ...(job.finishedOn ? { finishedAt: iso(job.finishedOn) } : {}),
  };
}

/**
 * Jobs on Redis with BullMQ: any process enqueues, every started process (roles worker and all)
 * runs jobs, a job whose worker dies is handed to another after `lockMs`, and a schedule is a
 * BullMQ job scheduler, so it fires once per period whichever and however many workers run.
 */
export function createBullJobs(options: BullJobsOptions): Jobs {
  const { redis, log } = options;
  const lockMs = options.lockMs ?? 30_000;
  const prefix = options.prefix ?? "jarvis";
  const queue = new Queue(queueName, { connection: redis, prefix });
  queue.on("error", (error) => log.warn("job queue error", { error: error.message }));
  const handlers = new Map<string, JobHandler>();
  let worker: Worker | undefined;
  let closed = false;
  const defaults = {
    removeOnComplete: { count: keepFinished },
    removeOnFail: { count: keepFinished },
  };

  async function process(job: Job): Promise<unknown> {
    const handler = handlers.get(job.name);
    if (!handler) throw new JarvisError("internal", `No handler for job ${job.name}`);
    return handler(job.data ?? null, {
      id: job.id!,
      name: job.name,
      attempt: Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1),
      log: log.child({ job: job.name, id: job.id }),
      progress: (value) => job.updateProgress(value),
    });
  }

  return {
    kind: "redis",
    define(name, handler) {
      handlers.set(name, handler as JobHandler);
    },
    async enqueue(name, data, opts = {}) {
      if (closed) throw new JarvisError("unavailable", "The job queue is closed");
      const job = await queue.add(name, data ?? null, {
        ...defaults,
        ...(opts.jobId ? { jobId: opts.jobId } : {}),
        attempts: Math.max(1, opts.attempts ?? 1),
        ...(opts.backoff ? { backoff: opts.backoff } : {}),
        ...(opts.delay ? { delay: opts.delay } : {}),
      });
      // A duplicate jobId returns what was passed, not what is stored: read the stored job back.
      if (!opts.jobId) return view(job, opts.delay ? "delayed" : "waiting");
      return view((await queue.getJob(job.id!)) ?? job);
    },
    async get(id) {
      // State first, then the job: a job seen completed already has its result stored (BullMQ
      // writes both in one script), whereas a job read first may finish before its state is read.
      const state = await queue.getJobState(id);
      if (state === "unknown") return undefined;
      const job = await queue.getJob(id);
      return job ? view(job, stateOf(state)) : undefined;
    },
    async list(filter = {}) {
      const limit = filter.limit ?? 100;
      const types = filter.state ? [filter.state === "waiting" ? "wait" : filter.state] : undefined;
      // Fetched newest first per state, then merged by creation time.
      const jobs = (await queue.getJobs(types as never, 0, filter.name ? limit * 10 : limit - 1, false))
        .filter((job): job is Job => Boolean(job))
        .filter((job) => !filter.name || job.name === filter.name)
        .sort((a, b) => b.timestamp - a.timestamp)
        .slice(0, limit);
      // Listed from the state's own set, a job's state is known (reading it again could race its data).
      const known = filter.state;
      return Promise.all(jobs.map((job) => view(job, known)));
    },
    async schedule(id, name, spec) {
      await queue.upsertJobScheduler(
        id,
        { every: spec.every },
        { name, data: spec.data ?? null, opts: { ...defaults, attempts: Math.max(1, spec.attempts ?? 1) } },
      );
    },
    async unschedule(id) {
      await queue.removeJobScheduler(id);
    },
    async start() {
      if (worker || closed) return;
      worker = new Worker(queueName, process, {
        connection: redis,
        prefix,
        name: workerName(),
        concurrency: options.concurrency ?? 4,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: 2,
      });
      worker.on("error", (error) => log.warn("job worker error", { error: error.message }));
      worker.on("failed", (job, error) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
          log.warn("job failed", { job: job.name, id: job.id, error: error.message });
      });
      await worker.waitUntilReady();
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts("active", "wait", "prioritized");
        if (!Object.values(counts).some(Boolean)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      closed = true;
      await worker?.close();
      await queue.close();
    },
  };
}
