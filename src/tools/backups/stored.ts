import { eq } from "drizzle-orm";
import { BackupDatabase, BackupJob } from "../../config.ts";
import type { Db } from "../../db/database.ts";
import { backupStoredJobs } from "../../db/schema.ts";

/** A job Jarvis registered itself, with the database it dumps and who registered it. */
export interface StoredJob {
  job: BackupJob;
  database?: BackupDatabase;
  origin: string;
}

/** The backup_stored_jobs table; rows are checked against the config schemas when read. */
export function createStoredJobs(db: Db) {
  return {
    async list(): Promise<StoredJob[]> {
      const rows = await db.select().from(backupStoredJobs).orderBy(backupStoredJobs.createdAt);
      return rows.map((r) => ({
        job: BackupJob.parse(r.job),
        ...(r.database ? { database: BackupDatabase.parse(r.database) } : {}),
        origin: r.origin,
      }));
    },
    async put(entry: StoredJob): Promise<void> {
      const values = { job: entry.job, database: entry.database ?? null, origin: entry.origin };
      await db
        .insert(backupStoredJobs)
        .values({ name: entry.job.name, ...values })
        .onConflictDoUpdate({ target: backupStoredJobs.name, set: values });
    },
    async delete(name: string): Promise<boolean> {
      const rows = await db
        .delete(backupStoredJobs)
        .where(eq(backupStoredJobs.name, name))
        .returning({ name: backupStoredJobs.name });
      return rows.length > 0;
    },
  };
}
export type StoredJobs = ReturnType<typeof createStoredJobs>;
