import { randomUUID } from "node:crypto";
import { createBullJobs } from "../../src/jobs/bullmq.ts";
import { createInProcessJobs } from "../../src/jobs/in-process.ts";
import type { Jobs } from "../../src/jobs/index.ts";
import { silentLogger } from "../../src/log.ts";
import { connectRedis, type Redis } from "../../src/redis/connect.ts";
import { Secret } from "../../src/secret.ts";
import { startRedis } from "../helpers/redis.ts";
import { percentile, round } from "./stats.ts";

interface Setup {
  /** Where jobs are enqueued. */
  producer: Jobs;
  /** Every queue that runs jobs (one per worker). */
  workers: Jobs[];
  close(): Promise<void>;
}

/**
 * No-op jobs: throughput (a burst of `jobs` enqueued at once, until the last completes) and
 * enqueue-to-start latency (one job at a time, p50/p95), for the in-process queue and BullMQ on a
 * real redis-server, with one and with two workers (4 jobs at once each), in the same run. With
 * in-process jobs "two workers" is one queue with twice the concurrency (there is one process).
 * Ratios: Redis against in-process.
 */
export async function benchJobs(options: { calls: number }) {
  const burst = Math.max(1000, options.calls);
  const serial = Math.max(200, options.calls);
  const server = await startRedis();
  const connections: Redis[] = [];
  const open = (prefix: string) => {
    const redis = connectRedis(new Secret(server.url), silentLogger, "bench");
    connections.push(redis);
    return createBullJobs({ redis, log: silentLogger, prefix });
  };
  const setups: Record<string, (workers: number) => Setup> = {
    "in-process": (workers) => {
      const jobs = createInProcessJobs({ log: silentLogger, concurrency: 4 * workers });
      return { producer: jobs, workers: [jobs], close: () => jobs.close() };
    },
    redis: (workers) => {
      const prefix = `bench${randomUUID().slice(0, 8)}`;
      const producer = open(prefix);
      const consumers = Array.from({ length: workers }, () => open(prefix));
      return {
        producer,
        workers: consumers,
        close: async () => {
          for (const jobs of [producer, ...consumers]) await jobs.close();
        },
      };
    },
  };

  async function measure(kind: string, workerCount: number) {
    const setup = setups[kind]!(workerCount);
    const started = new Map<string, number>();
    let done = 0;
    let onDone: (() => void) | undefined;
    for (const jobs of setup.workers) {
      jobs.define<{ key: string }>("noop", async (data) => {
        started.set(data.key, performance.now());
        done++;
        onDone?.();
      });
      await jobs.start();
    }
    const until = (count: number) =>
      new Promise<void>((resolve) => {
        onDone = () => done >= count && resolve();
        onDone();
      });
    // Warm-up: connections, scripts loaded.
    await setup.producer.enqueue("noop", { key: "warm" });
    await until(1);
    done = 0;

    const t0 = performance.now();
    const all = until(burst);
    // Enqueued 50 at a time, as a busy API process would.
    for (let i = 0; i < burst; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, burst - i) }, (_, j) =>
          setup.producer.enqueue("noop", { key: `b${i + j}` }),
        ),
      );
    }
    await all;
    const seconds = (performance.now() - t0) / 1000;

    const latencies: number[] = [];
    for (let i = 0; i < serial; i++) {
      done = 0;
      const key = `s${i}`;
      const ran = until(1);
      const at = performance.now();
      await setup.producer.enqueue("noop", { key });
      await ran;
      latencies.push(started.get(key)! - at);
    }
    await setup.close();
    return {
      jobsPerSecond: round(burst / seconds, 1),
      latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)) },
    };
  }

  try {
    const out: Record<string, Record<string, Awaited<ReturnType<typeof measure>>>> = {};
    for (const workers of [1, 2]) {
      for (const kind of Object.keys(setups)) {
        out[kind] ??= {};
        out[kind][`${workers}-worker${workers > 1 ? "s" : ""}`] = await measure(kind, workers);
      }
    }
    const ratios = Object.fromEntries(
      ["1-worker", "2-workers"].map((w) => {
        const redis = out.redis![w]!;
        const local = out["in-process"]![w]!;
        return [
          w,
          {
            throughput: round(redis.jobsPerSecond / local.jobsPerSecond),
            latencyP50: round(redis.latencyMs.p50 / local.latencyMs.p50, 1),
            latencyP95: round(redis.latencyMs.p95 / local.latencyMs.p95, 1),
          },
        ];
      }),
    );
    return { burst, serial, ...out, redisVsInProcess: ratios };
  } finally {
    for (const redis of connections) redis.disconnect();
    await server.stop();
  }
}
