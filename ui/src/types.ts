/** Shapes of the API answers the console reads. */

export interface User {
  name: string;
  role: string;
}

export interface SessionInfo {
  user: User;
  csrf: string;
  expiresAt: string;
}

export interface Approval {
  id: string;
  tool: string;
  target: string | null;
  args: unknown;
  risk: string;
  source: string;
  requester: string;
  reason: string | null;
  status: string;
  createdAt: string;
  expiresAt: string;
  conversationId: string | null;
  toolCallId: string | null;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: string;
}

export interface Probe {
  name: string;
  ok: boolean;
  error?: string;
}

export interface Status {
  status: "ok" | "degraded" | "down";
  model: { id: string; label: string };
  docker: Probe[];
  integrations: Probe[];
  pendingApprovals: number;
}

/** An incident as `GET /api/incidents` returns it. */
export interface Incident {
  id: string;
  title: string;
  status: string;
  severity: string;
  source: string;
  labels: Record<string, string>;
  target: string | null;
  runbook: string | null;
  attempts: number;
  alertCount: number;
  summary: string | null;
  approvalId: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  opened: string;
  updated: string;
  closed: string | null;
}

/** One step on an incident's timeline: its kind, time, audit id and the step's own fields. */
export interface IncidentEvent {
  at: string;
  kind: string;
  auditId: number | null;
  [field: string]: unknown;
}

export type IncidentDetail = Incident & { timeline: IncidentEvent[] };

/** A memory as the list (`GET /api/memories`) or the search (`score`, no source) returns it. */
export interface Memory {
  id: string;
  text: string;
  kind: string;
  scope: string;
  source?: { type: string; id?: string } | null;
  updatedAt: string;
  /** Set when a newer fact replaced this one (listed with history only). */
  validTo?: string | null;
  score?: number;
}

/** restic's progress of a run in flight (GET /api/backups). */
export interface BackupProgress {
  percent: number;
  filesDone: number;
  totalFiles: number;
  bytesDone: number;
  totalBytes: number;
  secondsElapsed: number;
  etaSeconds?: number;
}

export interface BackupRunning {
  stage: string;
  startedAt: string;
  progress: BackupProgress | null;
}

export interface BackupJob {
  job: string;
  registeredBy?: string;
  repository: string;
  schedule: string | null;
  nextRun: string | null;
  lastRun: {
    id: number;
    status: string;
    trigger: string;
    startedAt: string;
    finishedAt: string | null;
    snapshot: string | null;
    error?: string;
  } | null;
  lastSuccess: string | null;
  running?: BackupRunning;
}

/** GET /api/backups: the jobs, and every run in flight (database dumps without a job too). */
export interface Backups {
  jobs: BackupJob[];
  running: (BackupRunning & { job: string; runId: number })[];
}

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

/** One background job (GET /api/jobs), as src/jobs/types.ts JobView. */
export interface Job {
  id: string;
  name: string;
  state: JobState;
  progress: number | Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  error?: string;
  worker?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** GET /api/jobs: where the queue lives, and its jobs, newest first. */
export interface Jobs {
  kind: "in-process" | "redis";
  jobs: Job[];
}
