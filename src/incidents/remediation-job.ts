import type { Jobs, Locks } from "../jobs/index.ts";
import type { Incidents, RemediationTask } from "./incidents.ts";

/** The job that runs one step of an incident's remediation loop on whichever worker takes it. */
export const remediationJob = "incident.remediate";

/** Enqueues a loop step (the incidents module's `dispatch`, with Redis). */
export function dispatchRemediation(jobs: Jobs) {
  return async (task: RemediationTask): Promise<void> => {
    await jobs.enqueue(remediationJob, task, {
      // An incident is investigated once; later steps (resume, after approval) are new jobs.
      ...(task.step === "investigate" ? { jobId: `incident-${task.incident}` } : {}),
      attempts: 3,
      backoff: { type: "exponential", delay: 5_000 },
    });
  };
}

/**
 * Defines the remediation job: the step runs under a lock per target (Docker host and container,
 * or the incident when it names none), so two incidents about one container — or two workers
 * handed the same incident — never act on it at the same time; the second waits its turn.
 */
export function defineRemediationJob(deps: {
  jobs: Jobs;
  locks: Locks;
  incidents: Incidents;
  /** The Docker host of an incident whose alert named none (as the loop assumes). */
  defaultHost: string;
}): void {
  deps.jobs.define<RemediationTask>(remediationJob, async (task, ctx) => {
    const incident = await deps.incidents.store.get(task.incident);
    if (!incident) return { incident: task.incident, status: "missing" };
    const target = incident.targetContainer
      ? `${incident.targetHost ?? deps.defaultHost}/${incident.targetContainer}`
      : `incident/${incident.id}`;
    await ctx.progress({ step: task.step, target });
    await deps.locks.run(`remediate:${target}`, () => deps.incidents.perform(task, ctx.attempt), {
      ttlMs: 60_000,
      waitMs: 10 * 60_000,
    });
    return { incident: task.incident, status: (await deps.incidents.store.get(task.incident))?.status };
  });
}
