import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { backupsOf } from "./list.ts";
import { BackupVerifyInput } from "./schemas.ts";

/** backup_verify: restic check reading a tenth of the data back, and the snapshot exists. */
export const backupVerify = defineTool({
  name: "backup_verify",
  title: "Verify backup",
  description:
    "Checks a backup job's repository (restic check, reading 10 % of the stored data back) and that a snapshot (default the latest) exists and lists its paths. Changes nothing.",
  input: BackupVerifyInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.job,
  timeoutMs: 3_600_000,
  async run(input, ctx) {
    const backups = backupsOf(ctx.clients);
    const job = backups.job(input.job);
    const repo = await backups.repoOf(job);
    const snapshots = await backups.restic.snapshots(repo, { tag: `job:${job.name}`, signal: ctx.signal });
    const wanted = input.snapshot && input.snapshot !== "latest" ? input.snapshot : undefined;
    const snapshot = wanted ? snapshots.find((s) => s.id.startsWith(wanted)) : snapshots.at(-1);
    if (!snapshot) {
      throw new JarvisError(
        "not_found",
        wanted
          ? `No snapshot ${wanted} in the ${job.name} repository`
          : `The ${job.name} job has no snapshots yet`,
      );
    }
    const check = await backups.restic.check(repo, { readDataPercent: 10, signal: ctx.signal });
    return {
      job: job.name,
      ok: true,
      check,
      snapshot: { id: snapshot.shortId, time: snapshot.time, paths: snapshot.paths },
      snapshots: snapshots.length,
    };
  },
});
