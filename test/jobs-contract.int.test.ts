import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createBullJobs } from "../src/jobs/bullmq.ts";
import { createInProcessJobs } from "../src/jobs/in-process.ts";
import type { Jobs, JobView, Locks } from "../src/jobs/index.ts";
import { createLocalLocks, createRedisLocks } from "../src/jobs/lock.ts";
import { createLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";

const log = createLogger({ level: "silent" });
let server: RedisServer;
const connections: Redis[] = [];
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  for (const redis of connections) redis.disconnect();
  await server.stop();
});

/** Each test gets a fresh queue: in-process, or on Redis under a prefix of its own. */
const implementations: Record<
  string,
  () => { jobs: Jobs; locks: Locks; again: () => { jobs: Jobs; locks: Locks } }
> = {
  "in-process": () => {
    const made = { jobs: createInProcessJobs({ log }), locks: createLocalLocks() };
    return { ...made, again: () => made };
  },
  redis: () => {
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const open = () => {
      const redis = connectRedis(new Secret(server.url), log, "test");
      connections.push(redis);
      return {
        // Long enough that a loaded machine never has a running job's lock lapse (no test here kills a worker).
        jobs: createBullJobs({ redis, log, prefix, lockMs: 10_000 }),
        locks: createRedisLocks(redis, prefix),
      };
    };
    return { ...open(), again: open };
  },
};

async function until(jobs: Jobs, id: string, done: (job: JobView) => boolean): Promise<JobView> {
  for (;;) {
    const job = await jobs.get(id);
    if (job && done(job)) return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(Object.keys(implementations))("jobs contract: %s", (kind) => {
  let opened: Jobs[] = [];
  const open = () => {
    const made = implementations[kind]!();
    opened.push(made.jobs);
    return made;
  };
  afterEach(async () => {
    for (const jobs of opened) await jobs.close();
    opened = [];
  });

  test("a job waits until the queue is started, then runs with its data and reports progress", async () => {
    const { jobs } = open();
    jobs.define<{ n: number }>("double", async (data, ctx) => {
      await ctx.progress({ step: "halfway" });
      await ctx.progress(100);
      return { doubled: data.n * 2, attempt: ctx.attempt };
    });
    const added = await jobs.enqueue("double", { n: 21 });
    expect(added).toMatchObject({ name: "double", state: "waiting", attempts: 0, data: { n: 21 } });
    expect((await jobs.get(added.id))?.state).toBe("waiting");
    await jobs.start();
    const done = await until(jobs, added.id, (j) => j.state === "completed");
    expect(done).toMatchObject({
      progress: 100,
      attempts: 1,
      maxAttempts: 1,
      result: { doubled: 42, attempt: 1 },
    });
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    expect((await jobs.list({ state: "completed" })).map((j) => j.id)).toContain(added.id);
    expect(await jobs.list({ state: "failed" })).toEqual([]);
  });

  test("a failing job is retried with backoff until its attempts run out, keeping the last error", async () => {
    const { jobs } = open();
    const seen: number[] = [];
    jobs.define("flaky", async (_data, ctx) => {
      seen.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt} broke`);
      return "third time";
    });
    jobs.define("broken", async () => {
      throw new Error("always broken");
    });
    await jobs.start();
    const flaky = await jobs.enqueue(
      "flaky",
      {},
      { attempts: 3, backoff: { type: "exponential", delay: 20 } },
    );
    const broken = await jobs.enqueue("broken", {}, { attempts: 2, backoff: { type: "fixed", delay: 10 } });
    expect(await until(jobs, flaky.id, (j) => j.state === "completed")).toMatchObject({
      attempts: 3,
      result: "third time",
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(await until(jobs, broken.id, (j) => j.state === "failed")).toMatchObject({
      attempts: 2,
      maxAttempts: 2,
      error: "always broken",
    });
  });

  test("a jobId that exists already is not enqueued again", async () => {
    const { jobs } = open();
    let runs = 0;
    jobs.define("once", async () => {
      runs++;
    });
    const first = await jobs.enqueue("once", { a: 1 }, { jobId: "slot-1" });
    const second = await jobs.enqueue("once", { a: 2 }, { jobId: "slot-1" });
    expect(second.id).toBe(first.id);
    expect(second.data).toEqual({ a: 1 });
    await jobs.start();
    await until(jobs, "slot-1", (j) => j.state === "completed");
    await jobs.enqueue("once", { a: 3 }, { jobId: "slot-1" });
    await jobs.idle();
    expect(runs).toBe(1);
  });

  test("a schedule fires once per period across two started queues on the same store", async () => {
    const made = open();
    const other = made.again();
    if (other.jobs !== made.jobs) opened.push(other.jobs);
    const fired: string[] = [];
    for (const [who, jobs] of [
      ["a", made.jobs],
      ["b", other.jobs],
    ] as const) {
      jobs.define("tick", async () => {
        fired.push(who);
      });
    }
    const t0 = Date.now();
    await made.jobs.schedule("every-200", "tick", { every: 200 });
    if (other.jobs !== made.jobs) await other.jobs.schedule("every-200", "tick", { every: 200 });
    await made.jobs.start();
    await other.jobs.start();
    while (fired.length < 6) await new Promise((r) => setTimeout(r, 20));
    const periods = (Date.now() - t0) / 200;
    // Two queues each firing would run about twice per period; one firing runs at most once.
    expect(fired.length).toBeLessThanOrEqual(Math.floor(periods) + 2);
  });

  test("a lock lets one holder work on a key at a time; another waits or is refused", async () => {
    const made = open();
    const { locks } = made;
    const other = made.again().locks;
    let inside = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const work = (wait: Promise<void>) => async () => {
      inside++;
      most = Math.max(most, inside);
      await wait;
      inside--;
      return "done";
    };
    // The first holder works until the test lets it go, so no step below races a timer.
    const first = locks.run("target:plex", work(gate));
    while (!(await other.held("target:plex"))) await new Promise((r) => setTimeout(r, 5));
    await expect(other.run("target:plex", work(Promise.resolve()))).rejects.toMatchObject({
      code: "conflict",
    });
    const second = other.run("target:plex", work(Promise.resolve()), { waitMs: 60_000 });
    release();
    expect(await first).toBe("done");
    expect(await second).toBe("done");
    expect(most).toBe(1);
    expect(await locks.held("target:plex")).toBe(false);
    // A different key is independent.
    const both = work(new Promise((r) => setTimeout(r, 50)));
    expect(await Promise.all([locks.run("a", both), other.run("b", both)])).toEqual(["done", "done"]);
  });
});
