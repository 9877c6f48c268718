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
