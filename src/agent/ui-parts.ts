import { isToolUIPart, type UIMessage, type UIMessageChunk } from "ai";
import type { ApprovalRow, ApprovalView } from "./approvals.ts";

type Part = UIMessage["parts"][number];
type ToolPart = Extract<Part, { toolCallId: string; state: string }>;

const toolParts = (message: UIMessage | undefined): ToolPart[] =>
  (message?.parts ?? []).filter((part): part is ToolPart => isToolUIPart(part));

/** Tool parts of a message that still wait for an approval decision. */
export function pendingApprovalParts(message: UIMessage | undefined): ToolPart[] {
  return toolParts(message).filter((part) => part.state === "approval-requested");
}

/** The tool part carrying an SDK approval id, anywhere in the history. */
export function findApprovalPart(history: UIMessage[], approvalId: string): ToolPart | undefined {
  for (const message of history) {
    const part = toolParts(message).find(
      (p) => (p as { approval?: { id: string } }).approval?.id === approvalId,
    );
    if (part) return part;
  }
  return undefined;
}

/** The tool call ids in a history: the only calls an approval can already exist for. */
export function toolCallIds(history: UIMessage[]): Set<string> {
  return new Set(history.flatMap((message) => toolParts(message).map((part) => part.toolCallId)));
}

/**
 * Writes the decisions from the approvals table into the waiting tool parts (the server's record,
 * never the client's), so the SDK executes approved calls and tells the model about denied ones.
 */
export function applyDecisions(history: UIMessage[], rows: ApprovalRow[]): UIMessage[] {
  const byCall = new Map(rows.map((row) => [row.toolCallId, row]));
  return history.map((message) => ({
    ...message,
    parts: message.parts.map((part) => {
      if (!isToolUIPart(part) || part.state !== "approval-requested") return part;
      const row = byCall.get(part.toolCallId);
      const approved = row?.status === "approved" && !row.usedAt;
      const reason = approved
        ? `approved by ${row.decidedBy}`
        : row?.status === "denied"
          ? `denied by ${row.decidedBy}${row.decisionReason ? `: ${row.decisionReason}` : ""}`
          : "the approval expired without a decision";
      return {
        ...part,
        state: "approval-responded",
        approval: { ...part.approval, approved, reason },
      } as Part;
    }),
  }));
}

/** Approval requests left unanswered when the user moves on become denied tool results. */
export function supersedePending(history: UIMessage[]): UIMessage[] {
  return history.map((message) => ({
    ...message,
    parts: message.parts.map((part) =>
      isToolUIPart(part) && part.state === "approval-requested"
        ? ({
            ...part,
            state: "output-denied",
            approval: {
              ...part.approval,
              approved: false,
              reason: "Not approved: the user sent a new message instead.",
            },
          } as Part)
        : part,
    ),
  }));
}

/** A `data-approval` chunk with Jarvis's approval (id, exact call, expiry) for the client. */
export function approvalChunk(approval: ApprovalView): UIMessageChunk {
  const { id, tool, target, args, risk, expiresAt, toolCallId } = approval;
  return {
    type: "data-approval",
    id: `approval-${toolCallId}`,
    data: { id, tool, target, args, risk, expiresAt, toolCallId },
  };
}

/** A conversation title from its first message. */
export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || "New conversation";
}
