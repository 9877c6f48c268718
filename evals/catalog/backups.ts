import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the backups toolset: restic jobs and database dumps. */
export const backupTools = [
  standIn({
    name: "backup_list",
    title: "List backups",
    description:
      "Lists backup jobs with their schedule, repository, last run (time, status, duration, size, error) and snapshot count; with job, that job's recent snapshots too.",
    input: z.strictObject({ job: name(128).optional() }),
    risk: "read",
    target: (input) => input.job,
  }),
  standIn({
    name: "backup_verify",
    title: "Verify backup",
    description:
      "Checks a backup job's repository integrity and that a snapshot (default the latest) can be read back. Changes nothing.",
    input: z.strictObject({ job: name(128), snapshot: name(128).optional() }),
    risk: "read",
    target: (input) => input.job,
  }),
  standIn({
    name: "db_list",
    title: "List databases",
    description:
      "Lists the databases Jarvis can dump (engine, container, size) with their last dump and its status.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "backup_run",
    title: "Run backup",
    description:
      "Starts a backup job now, outside its schedule, and returns the new snapshot when it finishes.",
    input: z.strictObject({ job: name(128) }),
    risk: "write",
    target: (input) => input.job,
  }),
  standIn({
    name: "db_backup",
    title: "Dump database",
    description: "Dumps a database now (pg_dump or mysqldump inside its container) into the backup area.",
    input: z.strictObject({ database: name(128) }),
    risk: "write",
    target: (input) => input.database,
  }),
  standIn({
    name: "backup_restore",
    title: "Restore backup",
    description:
      "Restores a snapshot of a backup job to its original paths (overwriting them) or to target_path. Overwritten data is lost.",
    input: z.strictObject({ job: name(128), snapshot: name(128), target_path: name(4096).optional() }),
    risk: "destructive",
    target: (input) => input.job,
  }),
  standIn({
    name: "db_restore",
    title: "Restore database",
    description:
      "Replaces a database's contents with a dump (backup: a dump id from db_list). Current data is lost.",
    input: z.strictObject({ database: name(128), backup: name(256) }),
    risk: "destructive",
    target: (input) => input.database,
  }),
];
