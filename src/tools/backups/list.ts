import type { BackupJob } from "../../config.ts";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { nextRun, parseCron } from "./cron.ts";
import { safeRepo } from "./restic.ts";
import { BackupListInput } from "./schemas.ts";
import type { BackupService } from "./service.ts";

export function backupsOf(clients: { backups?: BackupService }): BackupService {
  if (!clients.backups)
    throw new JarvisError("unavailable", "Backups are not set up (backups.jobs in jarvis.yaml)");
  return clients.backups;
}

const runView = (r: {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  status: string;
  snapshotId: string | null;
  error: string | null;
  trigger: string;
  summary: unknown;
}) => ({
  id: r.id,
  status: r.status,
  trigger: r.trigger,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
  snapshot: r.snapshotId,
  ...(r.summary ? { totalBytes: (r.summary as { totalBytes?: number }).totalBytes } : {}),
  ...(r.error ? { error: r.error } : {}),
});

/**
 * Each job with schedule, next run, last run, last success and the progress of a run in flight;
 * with `runs`, that many recent runs too (backup_list and GET /api/backups).
 */
export async function describeJobs(
  backups: BackupService,
  jobs: readonly BackupJob[],
  options: { runs?: number } = {},
) {
  return Promise.all(
    jobs.map(async (j) => {
      const [recent, lastSuccess] = await Promise.all([
        backups.runs.recent(j.name, options.runs ?? 1),
        backups.runs.lastSuccess(j.name),
      ]);
      const inFlight = backups.running(j.name)[0];
      const origin = backups.origin(j.name);
      return {
        job: j.name,
        ...(origin ? { registeredBy: origin } : {}),
        repository: safeRepo(j.repository),
        schedule: j.schedule ?? null,
        nextRun: j.schedule ? nextRun(parseCron(j.schedule), new Date()).toISOString() : null,
        keep: j.keep ?? null,
        sources: { paths: j.paths, volumes: j.volumes.map((v) => v.name), databases: j.databases },
        lastRun: recent[0] ? runView(recent[0]) : null,
        lastSuccess: lastSuccess?.finishedAt?.toISOString() ?? null,
        ...(inFlight
          ? {
              running: {
                stage: inFlight.stage,
                startedAt: inFlight.startedAt,
                progress: inFlight.progress ?? null,
              },
            }
          : {}),
        ...(options.runs ? { runs: recent.map(runView) } : {}),
      };
    }),
  );
}

/** backup_list: jobs with schedule, last run, last success and live progress; with job, its snapshots. */
export const backupList = defineTool({
  name: "backup_list",
  title: "List backups",
  description:
    "Lists backup jobs with their schedule, repository, retention, last run (time, status, error), last success and the progress of a run in flight (files, bytes, percent, ETA); with job, that job's recent runs and snapshots too.",
  input: BackupListInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.job,
  timeoutMs: 120_000,
  async run(input, ctx) {
    const backups = backupsOf(ctx.clients);
    const jobs = input.job ? [backups.job(input.job)] : backups.jobs;
    const rows = await describeJobs(backups, jobs, input.job ? { runs: 10 } : {});
    if (!input.job) return { jobs: rows };
    const j = jobs[0]!;
    const snapshots = await backups.restic
      .snapshots(await backups.repoOf(j), { tag: `job:${j.name}`, signal: ctx.signal })
      .catch((error: Error) => ({ error: error.message }));
    return {
      ...rows[0],
      snapshots: Array.isArray(snapshots)
        ? snapshots
            .slice(-20)
            .reverse()
            .map((s) => ({ id: s.shortId, time: s.time, paths: s.paths }))
        : snapshots,
    };
  },
});
