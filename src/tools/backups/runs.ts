import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { backupRuns } from "../../db/schema.ts";
import { ownerGone } from "../../instances.ts";

export type RunRow = typeof backupRuns.$inferSelect;

/** The backup_runs table: a row when a run starts, finished exactly once. */
export function createRunStore(db: Db, options: { owner?: string } = {}) {
  return {
    async start(job: string, trigger: string): Promise<number> {
      const [row] = await db
        .insert(backupRuns)
        .values({ job, trigger, status: "running", owner: options.owner })
        .returning({ id: backupRuns.id });
      return row!.id;
    },
    async finish(
      id: number,
      outcome: { status: "ok" | "failed"; snapshotId?: string; summary?: unknown; error?: string },
    ) {
      await db
        .update(backupRuns)
        .set({ ...outcome, finishedAt: new Date() })
        .where(and(eq(backupRuns.id, id), eq(backupRuns.status, "running")));
    },
    async recent(job: string, limit = 5): Promise<RunRow[]> {
      return db
        .select()
        .from(backupRuns)
        .where(eq(backupRuns.job, job))
        .orderBy(desc(backupRuns.startedAt))
        .limit(limit);
    },
    async lastSuccess(job: string): Promise<RunRow | undefined> {
      const [row] = await db
        .select()
        .from(backupRuns)
        .where(and(eq(backupRuns.job, job), eq(backupRuns.status, "ok")))
        .orderBy(desc(backupRuns.startedAt))
        .limit(1);
      return row;
    },
    /** Runs a process that is gone (not in `live`) left running are marked interrupted. */
    async markInterrupted(live: SQL): Promise<number> {
      const rows = await db
        .update(backupRuns)
        .set({ status: "interrupted", finishedAt: new Date(), error: "Jarvis stopped during the run" })
        .where(and(eq(backupRuns.status, "running"), ownerGone(backupRuns.owner, live)))
        .returning({ id: backupRuns.id });
      return rows.length;
    },
  };
}
export type RunStore = ReturnType<typeof createRunStore>;
