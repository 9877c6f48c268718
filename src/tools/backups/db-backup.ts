import { defineTool } from "../define-tool.ts";
import { backupsOf } from "./list.ts";
import { DbBackupInput } from "./schemas.ts";

/** db_backup: dumps one database now (pg_dump custom format) into its restic repository. */
export const dbBackup = defineTool({
  name: "db_backup",
  title: "Back up database",
  description:
    "Dumps one database now (pg_dump, custom format) into its restic repository (its own, or that of the first backup job that lists it), tagged db:<name>, and returns the snapshot. A dump of the same database already running is refused; while it runs, db_list and backup_list show it.",
  input: DbBackupInput,
  risk: "write",
  target: (input) => input.database,
  timeoutMs: 7 * 86_400_000,
  async run(input, ctx) {
    const backups = backupsOf(ctx.clients);
    const result = await backups.runDatabase(input.database, { signal: ctx.signal });
    return { database: input.database, ...result };
  },
});
