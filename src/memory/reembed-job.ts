import type { Jobs, Locks } from "../jobs/index.ts";
import type { Logger } from "../log.ts";
import type { MemoryStore } from "./store.ts";

/** The job that embeds the memories lacking a vector of the configured model. */
export const reembedJob = "memory.reembed";

/**
 * With Redis, re-embedding after a model change is a job: defined in every process, enqueued once
 * per model and backlog (the job id names both, so processes starting together add one job), run
 * by one worker at a time under a lock, with the memories embedded so far as its progress.
 * It only embeds what is missing, so a retried or repeated job does no harm.
 */
export async function enqueueReembedding(deps: {
  memory: MemoryStore;
  jobs: Jobs;
  locks: Locks;
  log: Logger;
}): Promise<void> {
  const { memory, jobs, locks } = deps;
  jobs.define(reembedJob, (_data, ctx) =>
    locks.run(
      "memory:reembed",
      async () => ({
        embedded: await memory.reembed({ progress: (done) => ctx.progress({ embedded: done }) }),
      }),
      { ttlMs: 60_000, waitMs: 10 * 60_000 },
    ),
  );
  const { model, pending } = await memory.status();
  if (pending === 0) return;
  await jobs.enqueue(
    reembedJob,
    { model },
    {
      jobId: `reembed-${model.replace(/[^\w.-]/g, "_")}-${pending}`,
      attempts: 5,
      backoff: { type: "exponential", delay: 10_000 },
    },
  );
}
