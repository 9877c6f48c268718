import type { ElicitResult, CallToolResult as McpCallResult } from "@modelcontextprotocol/sdk/types.js";
import type { ApprovalView } from "../../agent/approvals.ts";
import { toJarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import type { Principal, Tool } from "../../tools/define-tool.ts";
import type { RunResult } from "../../tools/run-tool.ts";
import { outputSchemaOf } from "./tool-listing.ts";

export type CallToolResult = McpCallResult;

/** Asks the person at the client (MCP elicitation); undefined when the client cannot be asked. */
export type Ask = (message: string, requestedSchema: ElicitSchema) => Promise<ElicitResult | undefined>;
export interface ElicitSchema {
  type: "object";
  properties: Record<string, { type: "boolean"; title: string; description: string; default: boolean }>;
  required: string[];
}

const approveSchema: ElicitSchema = {
  type: "object",
  properties: {
    approve: {
      type: "boolean",
      title: "Run it",
      description: "Run this call once, recorded as your approval",
      default: true,
    },
  },
  required: ["approve"],
};

const text = (value: string) => ({ type: "text" as const, text: value });

/** MCP's structuredContent is a JSON object; anything else is wrapped. */
const asObject = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { result: value ?? null };

function describeCall(approval: ApprovalView): string {
  return `${approval.tool}${approval.target ? ` on ${approval.target}` : ""} (${approval.risk})`;
}

function okResult(tool: Tool | undefined, run: Extract<RunResult, { status: "ok" }>): CallToolResult {
  const structured = asObject(run.result);
  const summary = `${JSON.stringify(run.result ?? null)}${run.truncated ? "\n(output truncated)" : ""}`;
  if (tool && outputSchemaOf(tool) && run.truncated && !tool.output?.safeParse(run.result).success) {
    // The declared shape no longer holds; a client would reject the structured result.
    return {
      isError: true,
      content: [text(`${run.tool} returned more than fits; narrow the request.\n${summary}`)],
    };
  }
  return { content: [text(summary)], structuredContent: structured };
}

/** Not run: someone must approve first. Not an error; it says what to do and how. */
function approvalRequiredResult(tool: Tool | undefined, approval: ApprovalView): CallToolResult {
  const message =
    `Approval required: ${describeCall(approval)} did not run. Approval id: ${approval.id} ` +
    `(expires ${approval.expiresAt}). A person approves it in the Jarvis console, with ` +
    `\`jarvis approvals approve ${approval.id}\`, or with POST /api/approvals/${approval.id} ` +
    `{"decision":"approve"}; then call ${approval.tool} again with the same arguments and it runs once.`;
  const structured = {
    status: "approval_required",
    approval: {
      id: approval.id,
      tool: approval.tool,
      target: approval.target,
      args: approval.args,
      risk: approval.risk,
      expiresAt: approval.expiresAt,
    },
  };
  // A tool with an output schema cannot carry this object as its structured result.
  if (tool && outputSchemaOf(tool)) return { isError: true, content: [text(message)] };
  return { content: [text(message)], structuredContent: structured };
}

function declinedResult(tool: Tool | undefined, approval: ApprovalView, action: string): CallToolResult {
  const message = `Not run: the request to run ${describeCall(approval)} was ${action === "cancel" ? "cancelled" : "declined"}. Nothing changed.`;
  if (tool && outputSchemaOf(tool)) return { isError: true, content: [text(message)] };
  return {
    content: [text(message)],
    structuredContent: { status: "declined", approval: { id: approval.id, tool: approval.tool } },
  };
}

/** A typed error as a tool result the model can read; the session goes on. */
export function errorResult(error: unknown): CallToolResult {
  const failure = toJarvisError(error);
  return { isError: true, content: [text(`Error (${failure.code}): ${failure.message}`)] };
}

/**
 * One MCP tools/call through the gate with `source: "mcp"`. When the gate asks for approval, a
 * client that can elicit asks its person (their answer is recorded as the decision, by this
 * session's principal, and an accepted call runs once); any other client gets the approval id and
 * a later identical call runs once after someone approved it.
 */
export async function callTool(
  jarvis: Jarvis,
  principal: Principal,
  call: { name: string; args: unknown; signal?: AbortSignal },
  ask: Ask,
): Promise<CallToolResult> {
  const tool = jarvis.registry.get(call.name);
  const options = { source: "mcp" as const, principal, signal: call.signal };
  try {
    const run = await jarvis.runTool(
      { tool: call.name, args: call.args },
      { ...options, reuseApproval: true },
    );
    if (run.status === "ok") return okResult(tool, run);
    const approval = run.approval;
    const question =
      `Jarvis wants to run ${describeCall(approval)} with arguments ${JSON.stringify(approval.args)}. ` +
      `Approve this one call?`;
    const answer = await ask(question, approveSchema);
    if (!answer) return approvalRequiredResult(tool, approval);
    const accepted = answer.action === "accept" && answer.content?.approve !== false;
    if (!accepted) {
      await jarvis.decideApproval(
        approval.id,
        { decision: "deny", reason: `${answer.action} through MCP elicitation` },
        principal,
      );
      return declinedResult(tool, approval, answer.action);
    }
    await jarvis.decideApproval(
      approval.id,
      { decision: "approve", reason: "approved through MCP elicitation" },
      principal,
    );
    const approved = await jarvis.runTool(
      { tool: call.name, args: call.args, approvalId: approval.id },
      options,
    );
    return approved.status === "ok"
      ? okResult(tool, approved)
      : approvalRequiredResult(tool, approved.approval);
  } catch (error) {
    return errorResult(error);
  }
}
