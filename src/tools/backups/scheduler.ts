import type { Logger } from "../../log.ts";
import { type Cron, nextRun, parseCron } from "./cron.ts";
import type { BackupService } from "./service.ts";

/**
 * Runs scheduled jobs. A job is due when the first cron time after its last recorded run (or after
 * the scheduler started, for a job that never ran) has passed, so a slot missed while Jarvis was
 * down runs once at start-up, and the last run persists in backup_runs across restarts. A job
 * registered while Jarvis runs (a deployed database) is picked up on the next tick. The
 * service refuses a second copy of a running job, so a slow run is never overlapped.
 */
export function createBackupScheduler(deps: { backups: BackupService; log: Logger; startedAt?: Date }) {
  const startedAt = deps.startedAt ?? new Date();
  // Parsed once per expression; the job list is read on every tick, so registered jobs are scheduled too.
  const parsed = new Map<string, Cron>();
  const cronOf = (schedule: string) => {
    if (!parsed.has(schedule)) parsed.set(schedule, parseCron(schedule));
    return parsed.get(schedule)!;
  };
  const inFlight = new Set<Promise<unknown>>();

  /**
   * The jobs due now and the slot each is due for (the cron time it catches up to), so a queue can
   * name one run per job and slot and never start it twice.
   */
  async function dueSlots(now = new Date()): Promise<Array<{ job: string; slot: Date }>> {
    const out: Array<{ job: string; slot: Date }> = [];
    for (const { name: job, schedule } of deps.backups.jobs) {
      if (!schedule) continue;
      const [last] = await deps.backups.runs.recent(job, 1);
      const slot = nextRun(cronOf(schedule), last?.startedAt ?? startedAt);
      if (slot <= now && !deps.backups.running(job).length) out.push({ job, slot });
    }
    return out;
  }

  /** Starts every due job (not waiting for them) and returns their names (in-process use, tests). */
  async function tick(now = new Date()): Promise<string[]> {
    const started: string[] = [];
    for (const { job } of await dueSlots(now)) {
      started.push(job);
      const run = deps.backups
        .run(job, { trigger: "schedule" })
        .catch((error) => deps.log.warn("scheduled backup failed", { job, error: (error as Error).message }))
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
    }
    return started;
  }

  return {
    tick,
    dueSlots,
    /** Waits for the runs this scheduler started (tests, shutdown). */
    idle: () => Promise.all([...inFlight]),
    start(intervalMs = 30_000): { stop(): void } {
      const timer = setInterval(() => {
        tick().catch((error) => deps.log.warn("backup scheduler tick failed", { error }));
      }, intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
