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
  database: name.describe("a database from db_list"),
  backup: name.describe('a snapshot id from db_list, or "latest"'),
  target: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "letters, digits, '_' or '-', starting with a letter or '_'")
    .optional()
    .describe("the database to restore into (created when missing); default the database itself"),
  overwrite: z
    .boolean()
    .optional()
    .describe("replace the objects of a target that already holds tables (its current data is lost)"),
});
