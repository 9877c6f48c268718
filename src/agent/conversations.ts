import type { UIMessage } from "ai";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversations, messages, runs } from "../db/schema.ts";

export type ConversationRow = typeof conversations.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type RunStatus = "running" | "awaiting-approval" | "done" | "failed" | "aborted";

/** Conversations, their messages (AI SDK UI messages) and their runs, in the database. */
export function createConversations(db: Db) {
  return {
    async get(id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row;
    },

    async create(input: {
      id: string;
      owner: string;
      source: string;
      title: string;
    }): Promise<ConversationRow> {
      const [row] = await db.insert(conversations).values(input).returning();
      return row!;
    },

    async list(filter: { owner?: string; limit?: number } = {}): Promise<ConversationRow[]> {
      return db
        .select()
        .from(conversations)
        .where(filter.owner ? eq(conversations.owner, filter.owner) : undefined)
        .orderBy(desc(conversations.updatedAt))
        .limit(Math.min(filter.limit ?? 50, 500));
    },

    async messages(conversationId: string): Promise<UIMessage[]> {
      const rows = await db
        .select({ message: messages.message })
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(asc(messages.seq));
      return rows.map((r) => r.message as UIMessage);
    },

    /**
     * Stores the history from position `from` on (earlier messages are unchanged): a run only ever
     * appends messages or extends the last one, so it rewrites the tail, not the conversation. One
     * statement (atomic on its own): rows past the new end are deleted, the tail is upserted and the
     * conversation touched, so a save is one round trip rather than a five-statement transaction.
     */
    async saveMessages(conversationId: string, list: UIMessage[], from = 0): Promise<void> {
      const start = Math.max(0, Math.min(from, list.length));
      const tail = list.slice(start);
      const trim = sql`DELETE FROM messages WHERE conversation_id = ${conversationId} AND seq >= ${list.length}`;
      const touch = sql`UPDATE conversations SET updated_at = now() WHERE id = ${conversationId}`;
      if (!tail.length) {
        await db.execute(sql`WITH trimmed AS (${trim}) ${touch}`);
        return;
      }
      const rows = tail.map(
        (message, i) =>
          sql`(${conversationId}, ${start + i}, ${message.id}, ${message.role}, ${JSON.stringify(message)}::jsonb)`,
      );
      await db.execute(sql`WITH trimmed AS (${trim}), touched AS (${touch})
        INSERT INTO messages (conversation_id, seq, id, role, message) VALUES ${sql.join(rows, sql`, `)}
        ON CONFLICT (conversation_id, seq) DO UPDATE
          SET id = excluded.id, role = excluded.role, message = excluded.message, created_at = now()`);
    },

    async startRun(input: {
      conversationId: string;
      source: string;
      principal: string;
      model: string;
    }): Promise<RunRow> {
      const [row] = await db
        .insert(runs)
        .values({ ...input, status: "running" })
        .returning();
      return row!;
    },

    async getRun(id: string): Promise<RunRow | undefined> {
      const [row] = await db.select().from(runs).where(eq(runs.id, id));
      return row;
    },

    async runs(conversationId: string): Promise<RunRow[]> {
      return db
        .select()
        .from(runs)
        .where(eq(runs.conversationId, conversationId))
        .orderBy(asc(runs.startedAt));
    },

    /** Moves a run from one status to another; false if it was not in `from` (someone else won). */
    async transition(id: string, from: RunStatus[], to: RunStatus): Promise<boolean> {
      const rows = await db
        .update(runs)
        .set({ status: to, finishedAt: null, stopReason: null, error: null })
        .where(and(eq(runs.id, id), inArray(runs.status, from)))
        .returning({ id: runs.id });
      return rows.length > 0;
    },

    async finishRun(
      id: string,
      result: { status: RunStatus; stopReason: string; steps: number; error?: string; usage?: unknown },
    ): Promise<void> {
      await db
        .update(runs)
        .set({
          status: result.status,
          stopReason: result.stopReason,
          steps: sql`${runs.steps} + ${result.steps}`,
          error: result.error ?? null,
          usage: result.usage ?? null,
          finishedAt: result.status === "awaiting-approval" ? null : new Date(),
        })
        .where(eq(runs.id, id));
    },

    /** Runs left "running" by a process that died are failed, never left hanging. */
    async markInterrupted(): Promise<number> {
      const rows = await db
        .update(runs)
        .set({
          status: "failed",
          stopReason: "interrupted",
          error: "Jarvis stopped during this run",
          finishedAt: new Date(),
        })
        .where(eq(runs.status, "running"))
        .returning({ id: runs.id });
      return rows.length;
    },
  };
}
export type Conversations = ReturnType<typeof createConversations>;
