import type { Tool } from "../define-tool.ts";
import { dbBackup } from "./db-backup.ts";
import { dbList } from "./db-list.ts";
import { dbRestore } from "./db-restore.ts";
import { backupList } from "./list.ts";
import { backupRestore } from "./restore.ts";
import { backupRun } from "./run.ts";
import { backupVerify } from "./verify.ts";

/** The backups toolset: reads, then writes, then destructive calls. */
export const backupTools: Tool[] = [
  backupList,
  backupVerify,
  dbList,
  backupRun,
  dbBackup,
  backupRestore,
  dbRestore,
];
