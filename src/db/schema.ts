import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * The audit log: one row per tool call from any surface. Written before the tool runs
 * (outcome "running"), finished exactly once afterwards; a trigger refuses deletes and any change
 * to a finished row, so the log is append-only in effect.
 */
export const audit = pgTable(
  "audit",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull(),
    principal: text("principal").notNull(),
    tool: text("tool").notNull(),
    target: text("target"),
    risk: text("risk"),
    /** Arguments with secrets redacted. */
    args: jsonb("args").notNull(),
    argsHash: text("args_hash"),
    /** allow | ask | deny | invalid (input did not validate) */
    decision: text("decision").notNull(),
    approvalId: uuid("approval_id"),
    /** running | ok | error | denied | approval_required | invalid_input | interrupted */
    outcome: text("outcome").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    durationMs: integer("duration_ms"),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("audit_at_idx").on(t.at), index("audit_tool_idx").on(t.tool, t.at)],
);

/**
 * Approvals: a pending decision bound to one exact call (tool, canonical args hash, target,
 * requester) with an expiry. Approved rows are used once; `used_at` makes that a server-side fact.
 */
export const approvals = pgTable(
  "approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    tool: text("tool").notNull(),
    /** The exact arguments to execute once approved. */
    args: jsonb("args").notNull(),
    argsHash: text("args_hash").notNull(),
    target: text("target"),
    risk: text("risk").notNull(),
    source: text("source").notNull(),
    requester: text("requester").notNull(),
    reason: text("reason"),
    /** pending | approved | denied | expired */
    status: text("status").notNull().default("pending"),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    usedAt: timestamp("used_at", { withTimezone: true }),
    /** Set when an agent run asked: the run resumes once every approval it waits on is decided. */
    conversationId: text("conversation_id"),
    runId: uuid("run_id"),
    toolCallId: text("tool_call_id"),
  },
  (t) => [
    index("approvals_status_idx").on(t.status, t.expiresAt),
    index("approvals_run_idx").on(t.runId),
    index("approvals_tool_call_idx").on(t.conversationId, t.toolCallId),
  ],
);

/** API tokens: only a SHA-256 of the token is stored; `prefix` identifies it in lists. */
export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  role: text("role").notNull(),
  scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** Time-limited allow rules an approver granted ("allow this tool on this target for N minutes"). */
export const policyGrants = pgTable("policy_grants", {
  id: uuid("id").primaryKey().defaultRandom(),
  tool: text("tool").notNull(),
  target: text("target"),
  source: text("source"),
  grantedBy: text("granted_by").notNull(),
  approvalId: uuid("approval_id"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/** A conversation with the agent. Its history lives here; clients never send history the server trusts. */
export const conversations = pgTable("conversations", {
  id: text("id").primaryKey(),
  title: text("title").notNull().default("New conversation"),
  /** The principal id that started it; only they (or an admin) can read or continue it. */
  owner: text("owner").notNull(),
  source: text("source").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Messages as AI SDK UI messages (text, tool calls with their inputs, outputs, approvals). */
export const messages = pgTable(
  "messages",
  {
    conversationId: text("conversation_id").notNull(),
    seq: integer("seq").notNull(),
    id: text("id").notNull(),
    role: text("role").notNull(),
    message: jsonb("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.seq] })],
);

/**
 * One agent run: from a user message (or an approval decision) until the model answers, pauses
 * for approval, fails or is aborted.
 */
export const runs = pgTable(
  "runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: text("conversation_id").notNull(),
    /** running | awaiting-approval | done | failed | aborted */
    status: text("status").notNull(),
    source: text("source").notNull(),
    principal: text("principal").notNull(),
    model: text("model").notNull(),
    steps: integer("steps").notNull().default(0),
    /** Why it stopped: completed | step-limit | approval | error | aborted | timeout | interrupted */
    stopReason: text("stop_reason"),
    error: text("error"),
    usage: jsonb("usage"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("runs_conversation_idx").on(t.conversationId, t.startedAt)],
);

/** Postgres full-text vector, generated from a memory's text. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
/** A pgvector column without fixed dimensions, so embeddings of several models share the table. */
const vector = customType<{ data: string }>({ dataType: () => "vector" });

/**
 * Long-term memory: facts, preferences, incident outcomes, runbook notes, conversation summaries.
 * A fact that changes keeps its history: the old row's `valid_to` is closed, never deleted.
 */
export const memories = pgTable(
  "memories",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    text: text("text").notNull(),
    /** fact | preference | incident | runbook | summary */
    kind: text("kind").notNull().default("fact"),
    /** global | host | service | entity | user */
    scopeType: text("scope_type").notNull().default("global"),
    scopeValue: text("scope_value"),
    /** Where it came from: conversation, incident, tool, api, import. */
    sourceType: text("source_type"),
    sourceId: text("source_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull().defaultNow(),
    validTo: timestamp("valid_to", { withTimezone: true }),
    accessCount: integer("access_count").notNull().default(0),
    lastAccessedAt: timestamp("last_accessed_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    tsv: tsvector("tsv").generatedAlwaysAs(sql`to_tsvector('english', "text")`),
  },
  (t) => [
    index("memories_tsv_idx").using("gin", t.tsv),
    index("memories_scope_idx").on(t.scopeType, t.scopeValue),
  ],
);

/**
 * One embedding per memory and model. The vector column has no fixed dimensions; each model gets
 * a partial HNSW index on the column cast to its dimensions (created by the memory store).
 */
export const memoryEmbeddings = pgTable(
  "memory_embeddings",
  {
    memoryId: bigint("memory_id", { mode: "number" })
      .notNull()
      .references(() => memories.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    dims: integer("dims").notNull(),
    embedding: vector("embedding").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memoryId, t.model] })],
);

/** Embedding models that have been used: `active` (the configured one) or `retired`. */
export const embeddingModels = pgTable("embedding_models", {
  name: text("name").primaryKey(),
  dims: integer("dims").notNull(),
  state: text("state").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Browser sessions of the chat console: an API token exchanged for a cookie. Only the SHA-256 of the
 * session secret is stored (its CSRF token is derived from the secret); a session expires and can end.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hash: text("hash").notNull().unique(),
    /** The API token signed in with; revoking it ends its sessions too. */
    tokenId: uuid("token_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("sessions_expires_idx").on(t.expiresAt)],
);
