import type { UIMessage } from "ai";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversations, messages, runs } from "../db/schema.ts";
import { ownerGone } from "../instances.ts";

export type ConversationRow = typeof conversations.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type RunStatus = "running" | "awaiting-approval" | "done" | "failed" | "aborted";

/**
 * The CTEs that store a history tail from `from` on: delete rows past the end, upsert the tail,
 * touch the conversation. Data-modifying CTEs all run, referenced or not.
 */
function saveSteps(conversationId: string, list: UIMessage[], from: number): SQL {
  const start = Math.max(0, Math.min(from, list.length));
  const rows = list
    .slice(start)
    .map(
      (message, i) =>
        sql`(${conversationId}, ${start + i}, ${message.id}, ${message.role}, ${JSON.stringify(message)}::jsonb)`,
    );
  const upsert = rows.length
    ? sql`, saved AS (INSERT INTO messages (conversation_id, seq, id, role, message) VALUES ${sql.join(rows, sql`, `)}
        ON CONFLICT (conversation_id, seq) DO UPDATE
          SET id = excluded.id, role = excluded.role, message = excluded.message, created_at = now())`
    : sql``;
  return sql`trimmed AS (DELETE FROM messages WHERE conversation_id = ${conversationId} AND seq >= ${list.length}),
    touched AS (UPDATE conversations SET updated_at = now() WHERE id = ${conversationId})${upsert}`;
}

/** Conversations, their messages (AI SDK UI messages) and their runs, in the database. */
export function createConversations(db: Db, options: { owner?: string } = {}) {
  const owner = options.owner ?? null;
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
      await db.execute(sql`WITH ${saveSteps(conversationId, list, from)} SELECT 1`);
    },

    /**
     * Starts a run from a user message in one statement (one round trip, atomic): creates the
     * conversation when `create` is given (failing if the id is taken, like `create`), stores the
     * history from `from` on as `saveMessages` does, and inserts the run.
     */
    async beginRun(input: {
      conversationId: string;
      source: string;
      principal: string;
      model: string;
      create?: { owner: string; title: string };
      messages: UIMessage[];
      from: number;
    }): Promise<{ id: string }> {
      const { conversationId, source, principal, model, create } = input;
      const created = create
        ? sql`created AS (INSERT INTO conversations (id, title, owner, source)
            VALUES (${conversationId}, ${create.title}, ${create.owner}, ${source})), `
        : sql``;
      const result =
        await db.execute(sql`WITH ${created}${saveSteps(conversationId, input.messages, input.from)}
        INSERT INTO runs (conversation_id, status, source, principal, model, owner)
        VALUES (${conversationId}, 'running', ${source}, ${principal}, ${model}, ${owner}) RETURNING id`);
      const [row] = (result as unknown as { rows: Array<{ id: string }> }).rows;
      return { id: row!.id };
    },

    async startRun(input: {
      conversationId: string;
      source: string;
      principal: string;
      model: string;
    }): Promise<RunRow> {
      const [row] = await db
        .insert(runs)
        .values({ ...input, status: "running", owner })
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
        .set({
          status: to,
          finishedAt: null,
          stopReason: null,
          error: null,
          owner: to === "running" ? owner : null,
        })
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

    /** Runs left "running" by a process that is gone (not in `live`) are failed, never left hanging. */
    async markInterrupted(live: SQL): Promise<number> {
      const rows = await db
        .update(runs)
        .set({
          status: "failed",
          stopReason: "interrupted",
          error: "Jarvis stopped during this run",
          finishedAt: new Date(),
        })
        .where(and(eq(runs.status, "running"), ownerGone(runs.owner, live)))
        .returning({ id: runs.id });
      return rows.length;
    },
  };
}
export type Conversations = ReturnType<typeof createConversations>;
