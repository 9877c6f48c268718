import type { UIMessageChunk } from "ai";
import type { ApprovalView } from "../agent/approvals.ts";
import type { Secret } from "../secret.ts";
import type { Role } from "../tools/define-tool.ts";
import type { ToolInfo } from "../tools/describe.ts";

export type CallOutcome =
  | {
      status: "ok";
      result: unknown;
      truncated: boolean;
      target: string | null;
      auditId: number;
      durationMs: number;
    }
  | {
      status: "approval_required";
      approval: Pick<ApprovalView, "id" | "tool" | "target" | "args" | "expiresAt">;
    };

/**
 * What the CLI needs from Jarvis. Two implementations: the HTTP API of a running server, or the
 * core in-process when no server holds the data directory.
 */
export interface Backend {
  /** "remote <url>" or "local <data dir>", for --verbose and errors. */
  describe: string;
  listTools(): Promise<ToolInfo[]>;
  callTool(name: string, args: unknown): Promise<CallOutcome>;
  listApprovals(status?: string): Promise<ApprovalView[]>;
  decide(
    id: string,
    decision: { decision: "approve" | "deny"; reason?: string; grantMinutes?: number },
  ): Promise<{
    approval: ApprovalView;
    run?: CallOutcome;
  }>;
  /** `scopes` such as "alerts" (an alert source may post to /api/alerts/*). */
  createToken(name: string, role: Role, scopes?: string[]): Promise<{ token: string }>;
  /** Sends a chat message or an approval decision; the reply streams as AI SDK UI message chunks. */
  chat(input: ChatInput): Promise<{ conversationId: string; stream: ReadableStream<UIMessageChunk> }>;
  /** Stores a secret encrypted in the secret store (remote: PUT /api/secrets/<name>, admin only). */
  storeSecret(name: string, value: Secret): Promise<void>;
  /** A stored secret's value, in-process only: over HTTP secrets are write-only (undefined). */
  readSecret(name: string): Promise<Secret | undefined>;
  close(): Promise<void>;
}

export interface ChatInput {
  conversationId?: string;
  text?: string;
  approval?: { id: string; decision: "approve" | "deny"; reason?: string };
}
