import { and, desc, eq, gt, isNull, lte, type SQL } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { approvals, policyGrants } from "../db/schema.ts";
import { JarvisError } from "../errors.ts";
import { redact } from "../redact.ts";
import type { Grant } from "./policy.ts";

export type ApprovalRow = typeof approvals.$inferSelect;
export type ApprovalStatus = "pending" | "approved" | "denied" | "expired";

/** What callers see of an approval: the exact call, with secrets redacted. */
export interface ApprovalView {
  id: string;
  tool: string;
  target: string | null;
  args: unknown;
  risk: string;
  source: string;
  requester: string;
  reason: string | null;
  status: ApprovalStatus;
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  usedAt: string | null;
  /** The conversation and run waiting on it, when an agent run asked. */
  conversationId: string | null;
  runId: string | null;
  toolCallId: string | null;
}

export function viewApproval(row: ApprovalRow): ApprovalView {
  const expired = row.status === "pending" && row.expiresAt.getTime() <= Date.now();

  return {
    id: row.id,
    tool: row.tool,
    target: row.target,
    args: redact(row.args),
    risk: row.risk,
    source: row.source,
    requester: row.requester,
    reason: row.reason,
    status: expired ? "expired" : (row.status as ApprovalStatus),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    usedAt: row.usedAt?.toISOString() ?? null,
    conversationId: row.conversationId,
    runId: row.runId,
    toolCallId: row.toolCallId,
  };
}

export interface NewApproval {
  tool: string;
  args: unknown;
  argsHash: string;
  target?: string;
  risk: string;
  source: string;
  requester: string;
  reason?: string;
  ttlMs: number;
  conversationId?: string;
  runId?: string;
  toolCallId?: string;
}

/**
 * The approvals table: pending → approved | denied | expired, bound to one exact call, used once.
 * Every state change is a conditional UPDATE, so two deciders or two executors cannot both win.
 */
export function createApprovals(db: Db) {
  /** Told of every new pending approval (an actionable phone notification, say); never blocks it. */
  const created = new Set<(row: ApprovalRow) => void>();
  /** Told of every decision, whoever made it and however (the API, a chat, a superseding message). */
  const decided = new Set<(row: ApprovalRow) => void>();
  /** The newest unexpired approval for exactly this call (tool, args hash, requester) matching `where`. */
  async function newestFor(
    tool: string,
    hash: string,
    requester: string,
    ...where: SQL[]
  ): Promise<ApprovalRow | undefined> {
    const [row] = await db
      .select()
      .from(approvals)
      .where(
        and(
          eq(approvals.tool, tool),
          eq(approvals.argsHash, hash),
          eq(approvals.requester, requester),
          gt(approvals.expiresAt, new Date()),
          ...where,
        ),
      )
      .orderBy(desc(approvals.createdAt))
      .limit(1);
    return row;
  }
  return {
    async create(input: NewApproval): Promise<ApprovalRow> {
      const { ttlMs, ...rest } = input;
      const [row] = await db
        .insert(approvals)
        .values({ ...rest, args: input.args ?? {}, expiresAt: new Date(Date.now() + ttlMs) })
        .returning();
      for (const listener of created) listener(row!);
      return row!;
    },

    /** Subscribes to new approvals; returns the unsubscribe. */
    onCreated(listener: (row: ApprovalRow) => void): () => void {
      created.add(listener);
      return () => created.delete(listener);
    },

    /** Subscribes to decisions (approved, denied) as they are recorded; returns the unsubscribe. */
    onDecided(listener: (row: ApprovalRow) => void): () => void {
      decided.add(listener);
      return () => decided.delete(listener);
    },

    /** The approval an agent run created for one tool call. */
    async forToolCall(conversationId: string, toolCallId: string): Promise<ApprovalRow | undefined> {
      const [row] = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.conversationId, conversationId), eq(approvals.toolCallId, toolCallId)))
        .orderBy(desc(approvals.createdAt))
        .limit(1);
      return row;
    },

    /** Approvals a run waits on. */
    async forRun(runId: string): Promise<ApprovalRow[]> {
      return db.select().from(approvals).where(eq(approvals.runId, runId));
    },

    /**
     * The newest approval an approver decided for exactly this call (tool, canonical args hash,
     * requester) that is unused and unexpired: what a caller that calls again after approval
     * (an MCP client without elicitation) executes with, once.
     */
    findApproved: (tool: string, hash: string, requester: string) =>
      newestFor(tool, hash, requester, eq(approvals.status, "approved"), isNull(approvals.usedAt)),

    /** The newest still-pending approval for exactly this call, so asking twice shows one request. */
    findPending: (tool: string, hash: string, requester: string) =>
      newestFor(tool, hash, requester, eq(approvals.status, "pending")),

    async get(id: string): Promise<ApprovalRow | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const [row] = await db.select().from(approvals).where(eq(approvals.id, id));
      return row;
    },

    async list(filter: { status?: ApprovalStatus; limit?: number } = {}): Promise<ApprovalRow[]> {
      await this.expire();
      const where: SQL[] = [];
      if (filter.status) where.push(eq(approvals.status, filter.status));
      return db
        .select()
        .from(approvals)
        .where(and(...where))
        .orderBy(desc(approvals.createdAt))
        .limit(Math.min(filter.limit ?? 100, 1000));
    },

    /** Marks pending approvals past their expiry as expired. */
    async expire(): Promise<void> {
      await db
        .update(approvals)
        .set({ status: "expired" })
        .where(and(eq(approvals.status, "pending"), lte(approvals.expiresAt, new Date())));
    },

    /** Records a decision on a pending, unexpired approval. Throws if it is no longer pending. */
    async decide(
      id: string,
      decision: "approved" | "denied",
      decidedBy: string,
      reason?: string,
    ): Promise<ApprovalRow> {
      const [row] = await db
        .update(approvals)
        .set({ status: decision, decidedBy, decidedAt: new Date(), decisionReason: reason })
        .where(
          and(eq(approvals.id, id), eq(approvals.status, "pending"), gt(approvals.expiresAt, new Date())),
        )
        .returning();
      if (row) {
        for (const listener of decided) listener(row);
        return row;
      }
      const current = await this.get(id);
      if (!current) throw new JarvisError("not_found", `No approval ${id}`);
      const status = viewApproval(current).status;
      throw new JarvisError(
        "approval_invalid",
        `Approval ${id} is ${status}, not pending; it cannot be decided again`,
      );
    },

    /**
     * Uses an approved approval for one execution. Succeeds once: a second use, an expired or an
     * undecided approval throws.
     */
    async consume(id: string): Promise<ApprovalRow> {
      const [row] = await db
        .update(approvals)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(approvals.id, id),
            eq(approvals.status, "approved"),
            isNull(approvals.usedAt),
            gt(approvals.expiresAt, new Date()),
          ),
        )
        .returning();
      if (row) return row;
      const current = await this.get(id);
      if (!current) throw new JarvisError("not_found", `No approval ${id}`);
      if (current.usedAt) throw new JarvisError("approval_invalid", `Approval ${id} was already used`);
      throw new JarvisError(
        "approval_invalid",
        `Approval ${id} is ${viewApproval(current).status}, not approved`,
      );
    },

    async grant(grant: Grant & { grantedBy: string; approvalId?: string; minutes: number }): Promise<void> {
      await db.insert(policyGrants).values({
        tool: grant.tool,
        target: grant.target ?? null,
        source: grant.source ?? null,
        grantedBy: grant.grantedBy,
        approvalId: grant.approvalId,
        expiresAt: new Date(Date.now() + grant.minutes * 60_000),
      });
    },

    /** Grants that are still in force. */
    async activeGrants(): Promise<Grant[]> {
      return db
        .select({ tool: policyGrants.tool, target: policyGrants.target, source: policyGrants.source })
        .from(policyGrants)
        .where(gt(policyGrants.expiresAt, new Date()));
    },
  };
}
export type Approvals = ReturnType<typeof createApprovals>;
