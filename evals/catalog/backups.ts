import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the database dump tools (the restic job tools are real: src/tools/backups). */
export const backupTools = [
  standIn({
    name: "db_list",
    title: "List databases",
    description:
      "Lists the databases Jarvis can dump (engine, container, size) with their last dump and its status.",
    input: z.strictObject({}),
    risk: "read",
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
    name: "db_restore",
    title: "Restore database",
    description:
      "Replaces a database's contents with a dump (backup: a dump id from db_list). Current data is lost.",
    input: z.strictObject({ database: name(128), backup: name(256) }),
    risk: "destructive",
    target: (input) => input.database,
  }),
];
