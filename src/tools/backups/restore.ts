import { mkdir } from "node:fs/promises";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { confine } from "../storage/confine.ts";
import { backupsOf } from "./list.ts";
import { BackupRestoreInput } from "./schemas.ts";

/** backup_restore: restic restore of one snapshot, over the original paths or under a confined target. */
export const backupRestore = defineTool({
  name: "backup_restore",
  title: "Restore backup",
  description:
    'Restores a snapshot of a backup job (an id, or "latest") over its original paths, overwriting them, or under target_path (inside the configured storage roots) to compare or copy back by hand. Overwritten data is lost.',
  input: BackupRestoreInput,
  risk: "destructive",
  target: (input) => input.job,
  timeoutMs: 7 * 86_400_000,
  async run(input, ctx) {
    const backups = backupsOf(ctx.clients);
    const job = backups.job(input.job);
    const target = input.target_path
      ? confine(input.target_path, ctx.clients.storage?.roots ?? ["/"], "target_path")
      : "/";
    const repo = await backups.repoOf(job);
    const snapshots = await backups.restic.snapshots(repo, { tag: `job:${job.name}`, signal: ctx.signal });
    const snapshot =
      input.snapshot === "latest" ? snapshots.at(-1) : snapshots.find((s) => s.id.startsWith(input.snapshot));
    if (!snapshot) {
      const known =
        snapshots
          .slice(-5)
          .map((s) => `${s.shortId} (${s.time})`)
          .join(", ") || "none";
      throw new JarvisError("not_found", `No snapshot ${input.snapshot} of ${job.name}; recent: ${known}`);
    }
    if (backups.running(job.name).length) {
      throw new JarvisError("conflict", `The ${job.name} backup is running; restore when it has finished`);
    }
    await mkdir(target, { recursive: true });
    await backups.restic.restore(repo, snapshot.id, target, { signal: ctx.signal });
    ctx.log.info("restored", { job: job.name, snapshot: snapshot.shortId, target });
    return {
      job: job.name,
      snapshot: snapshot.shortId,
      time: snapshot.time,
      restoredTo: target,
      paths: snapshot.paths,
    };
  },
});
