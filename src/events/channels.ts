import type { UIMessageChunk } from "ai";
import type { ApprovalView } from "../agent/approvals.ts";

/** The chunks of a conversation's runs, wherever the run executes. */
export const conversationChannel = (conversationId: string) => `conversation:${conversationId}`;

/** What runs publish on a conversation's channel. */
export type RunEvent =
  | { type: "chunk"; runId: string; chunk: UIMessageChunk }
  /** A segment of a run ended: finished, failed, or paused again for approval. */
  | { type: "end"; runId: string };

/** Approvals created and decided, on any process. */
export const approvalsChannel = "approvals";

export type ApprovalEvent =
  | { type: "approval-created"; approval: ApprovalView }
  | { type: "approval-decided"; approval: ApprovalView };
