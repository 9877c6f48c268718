import { z } from "zod";

const name = z.string().min(1).max(128);

export const BackupListInput = z.strictObject({ job: name.optional() });
export const BackupJobInput = z.strictObject({ job: name });
export const BackupVerifyInput = z.strictObject({
  job: name,
  snapshot: name.optional().describe("a snapshot id (default: the latest)"),
});
export const BackupRestoreInput = z.strictObject({
  job: name,
  snapshot: name.describe('a snapshot id, or "latest"'),
  target_path: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe("restore under this directory (inside storage.roots) instead of over the original paths"),
});
export const DbListInput = z.strictObject({});
export const DbBackupInput = z.strictObject({ database: name });
export const DbRestoreInput = z.strictObject({
  database: name,
  backup: name.describe('a snapshot id from db_list, or "latest"'),
});
