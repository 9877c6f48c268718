import type { Tool } from "../define-tool.ts";
import { backupList } from "./list.ts";
import { backupRestore } from "./restore.ts";
import { backupRun } from "./run.ts";
import { backupVerify } from "./verify.ts";

/** The backups toolset: reads, then writes, then destructive calls. */
export const backupTools: Tool[] = [backupList, backupVerify, backupRun, backupRestore];
