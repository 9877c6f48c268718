import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { audit } from "../db/schema.ts";
import { ownerGone } from "../instances.ts";
import { redact } from "../redact.ts";

export type AuditRow = typeof audit.$inferSelect;

export interface AuditStart {
  source: string;
  principal: string;
  tool: string;
  target?: string;
  risk?: string;
  args: unknown;
  argsHash?: string;
  decision: "allow" | "ask" | "deny" | "invalid";
  approvalId?: string;
  /** "running" when the tool is about to execute; any other value records a finished call. */
  outcome: string;
  errorCode?: string;
  errorMessage?: string;
}

/** The audit log. Rows are written before acting and finished once; args are always redacted. */
export function createAuditLog(db: Db, options: { owner?: string } = {}) {
  return {
    async start(entry: AuditStart): Promise<number> {
      const finished = entry.outcome !== "running";
      const [row] = await db
        .insert(audit)
        .values({
          ...entry,
          args: redact(entry.args) ?? {},
          finishedAt: finished ? new Date() : undefined,
          owner: finished ? undefined : options.owner,
        })
        .returning({ id: audit.id });
      return row!.id;
    },

    async finish(
      id: number,
      result: { outcome: string; durationMs: number; errorCode?: string; errorMessage?: string },
    ): Promise<void> {
      await db
        .update(audit)
        .set({ ...result, finishedAt: new Date() })
        .where(and(eq(audit.id, id), eq(audit.outcome, "running")));
    },

    async list(
      filter: { tool?: string; principal?: string; outcome?: string; before?: number; limit?: number } = {},
    ): Promise<AuditRow[]> {
      const where: SQL[] = [];
      if (filter.tool) where.push(eq(audit.tool, filter.tool));
      if (filter.principal) where.push(eq(audit.principal, filter.principal));
      if (filter.outcome) where.push(eq(audit.outcome, filter.outcome));
      if (filter.before) where.push(lt(audit.id, filter.before));
      return db
        .select()
        .from(audit)
        .where(and(...where))
        .orderBy(desc(audit.id))
        .limit(Math.min(filter.limit ?? 100, 1000));
    },

    /**
     * Calls left running by a process that is gone (not in `live`, the ids of the processes alive
     * now) are marked interrupted, never left "running"; a live process's calls are left alone.
     */
    async markInterrupted(live: SQL): Promise<number> {
      const rows = await db
        .update(audit)
        .set({ outcome: "interrupted", finishedAt: new Date(), errorCode: "interrupted" })
        .where(and(eq(audit.outcome, "running"), ownerGone(audit.owner, live)))
        .returning({ id: audit.id });
      return rows.length;
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
