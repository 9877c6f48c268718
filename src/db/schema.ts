import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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
    /** The process (instances.id) running the call while it runs. */
    owner: text("owner"),
  },
  (t) => [
    index("audit_at_idx").on(t.at),
    index("audit_tool_idx").on(t.tool, t.at),
    index("audit_running_idx").on(t.owner).where(sql`outcome = 'running'`),
  ],
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
    /** The process (instances.id) running it while it runs. */
    owner: text("owner"),
  },
  (t) => [
    index("runs_conversation_idx").on(t.conversationId, t.startedAt),
    index("runs_running_idx").on(t.owner).where(sql`status = 'running'`),
  ],
);

/**
 * Alerts as received, one row per (source, fingerprint): a storm of identical alerts updates
 * `received_count` instead of adding rows.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** alertmanager | webhook | docker | filesystem */
    source: text("source").notNull(),
    fingerprint: text("fingerprint").notNull(),
    /** firing | resolved */
    status: text("status").notNull(),
    labels: jsonb("labels").notNull(),
    annotations: jsonb("annotations").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    receivedCount: integer("received_count").notNull().default(1),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("alerts_fingerprint_idx").on(t.source, t.fingerprint)],
);

/**
 * Incidents: one per alert fingerprint while it is not closed (a partial unique index makes that
 * hold under concurrent deliveries). Escalated incidents stay open for a person; resolved and
 * failed ones are closed.
 */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fingerprint: text("fingerprint").notNull(),
    title: text("title").notNull(),
    /** info | warning | critical */
    severity: text("severity").notNull(),
    /** open | investigating | awaiting_approval | remediating | verifying | resolved | escalated | failed */
    status: text("status").notNull().default("open"),
    source: text("source").notNull(),
    labels: jsonb("labels").notNull(),
    targetHost: text("target_host"),
    targetContainer: text("target_container"),
    runbook: text("runbook"),
    attempts: integer("attempts").notNull().default(0),
    alertCount: integer("alert_count").notNull().default(1),
    summary: text("summary"),
    /** The approval the loop waits on while awaiting_approval. */
    approvalId: uuid("approval_id"),
    /** The action being taken while remediating: lets a restarted process tell whether it happened. */
    pendingAction: jsonb("pending_action"),
    acknowledgedBy: text("acknowledged_by"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("incidents_open_fingerprint_idx").on(t.fingerprint).where(sql`${t.closedAt} is null`),
    index("incidents_status_idx").on(t.status, t.openedAt),
    index("incidents_approval_idx").on(t.approvalId),
  ],
);

/** An incident's timeline: alerts, evidence, decisions, tool calls (with audit ids), approvals, notes. */
export const incidentEvents = pgTable(
  "incident_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    incidentId: uuid("incident_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** alert | evidence | decision | tool_call | approval | note | status */
    kind: text("kind").notNull(),
    auditId: bigint("audit_id", { mode: "number" }),
    data: jsonb("data").notNull(),
  },
  (t) => [index("incident_events_incident_idx").on(t.incidentId, t.id)],
);

/**
 * Remediation actions taken on a target: the persisted circuit breaker (automatic actions per
 * target per hour) and the cooldown between incidents read it, so both survive restarts.
 */
export const remediationActions = pgTable(
  "remediation_actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    target: text("target").notNull(),
    tool: text("tool").notNull(),
    incidentId: uuid("incident_id").notNull(),
    auditId: bigint("audit_id", { mode: "number" }),
    /** true when policy allowed it without a person; approved actions do not trip the breaker. */
    automatic: boolean("automatic").notNull(),
  },
  (t) => [index("remediation_actions_target_idx").on(t.target, t.at)],
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

/**
 * Domains: the last check of each one (what net_list_domains shows) and the DNS answer the domain
 * monitor last accepted (a different answer is "DNS changed unexpectedly").
 */
export const domainChecks = pgTable("domain_checks", {
  domain: text("domain").primaryKey(),
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull(),
  result: jsonb("result").notNull(),
  /** {A, AAAA, CNAME}, sorted; null until the monitor has seen the domain resolve. */
  dnsBaseline: jsonb("dns_baseline"),
  dnsBaselineAt: timestamp("dns_baseline_at", { withTimezone: true }),
});

/**
 * Encrypted credentials (repository passwords, NAS and database passwords): AES-256-GCM with a
 * fresh IV per write and the name as associated data, so a row cannot be moved to another name.
 * The row named `.key-check` holds a known value that tells a wrong key apart from a damaged row.
 */
export const secrets = pgTable("secrets", {
  name: text("name").primaryKey(),
  /** base64 of the 12-byte IV, the 16-byte tag and the ciphertext. */
  iv: text("iv").notNull(),
  tag: text("tag").notNull(),
  ciphertext: text("ciphertext").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Filesystem usage over time, one row per mount per sample: the growth trend and days-until-full. */
export const diskSamples = pgTable(
  "disk_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    mount: text("mount").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    usedBytes: bigint("used_bytes", { mode: "number" }).notNull(),
  },
  (t) => [index("disk_samples_mount_at_idx").on(t.mount, t.at)],
);

/** Backup runs: one row per run of a job (scheduled or on demand), with its outcome. */
export const backupRuns = pgTable(
  "backup_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    job: text("job").notNull(),
    /** schedule | manual */
    trigger: text("trigger").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** running | ok | failed | interrupted */
    status: text("status").notNull(),
    snapshotId: text("snapshot_id"),
    /** restic's summary: files, bytes, data added, duration. */
    summary: jsonb("summary"),
    error: text("error"),
    /** The process (instances.id) running it while it runs. */
    owner: text("owner"),
  },
  (t) => [
    index("backup_runs_job_idx").on(t.job, t.startedAt),
    index("backup_runs_running_idx").on(t.owner).where(sql`status = 'running'`),
  ],
);

/**
 * The Jarvis processes on this database, each renewing `seen_at` while it lives: work a process
 * left "running" is marked interrupted only once that process is gone (silent past the timeout).
 */
export const instances = pgTable("instances", {
  /** <host>:<pid>:<random>, new each start. */
  id: text("id").primaryKey(),
  /** all | api | worker | cli */
  role: text("role").notNull(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Backup jobs Jarvis registered itself (a deployed database), next to the ones in jarvis.yaml: the
 * job and, for a dump, its database, as config would hold them. Credentials are referenced by their
 * secret store names, never copied here.
 */
export const backupStoredJobs = pgTable("backup_stored_jobs", {
  name: text("name").primaryKey(),
  /** A BackupJob (src/config.ts). */
  job: jsonb("job").notNull(),
  /** A BackupDatabase the job dumps, if any. */
  database: jsonb("database"),
  /** Who registered it: deploy:<host>/<app>. */
  origin: text("origin").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
