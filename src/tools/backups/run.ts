import { defineTool } from "../define-tool.ts";
import { backupsOf } from "./list.ts";
import { BackupJobInput } from "./schemas.ts";

/** backup_run: runs a job now and answers with its snapshot; progress shows in backup_list meanwhile. */
export const backupRun = defineTool({
  name: "backup_run",
  title: "Run backup",
  description:
    "Runs a backup job now, outside its schedule (dumping its databases, stopping and restarting containers it names), applies its retention, and returns the new snapshot with files and bytes. A job that is already running is refused, never run twice. While it runs, backup_list shows its progress.",
  input: BackupJobInput,
  risk: "write",
  target: (input) => input.job,
  // A backup takes as long as it takes; the service applies backups.timeoutMinutes itself.
  timeoutMs: 7 * 86_400_000,
  async run(input, ctx) {
    return backupsOf(ctx.clients).run(input.job, { trigger: "manual", signal: ctx.signal });
  },
});
