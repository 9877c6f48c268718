import { type JSONSchema7, jsonSchema, type ToolApprovalConfiguration, type ToolSet, tool } from "ai";
import { z } from "zod";
import type { Source } from "../config.ts";
import { JarvisError } from "../errors.ts";
import { redact } from "../redact.ts";
import type { Principal } from "../tools/define-tool.ts";
import type { Registry } from "../tools/registry.ts";
import type { RunTool } from "../tools/run-tool.ts";
import type { ApprovalRow, Approvals, ApprovalView } from "./approvals.ts";
import type { Prompts } from "./prompts.ts";

export interface AgentRunContext {
  conversationId: string;
  runId: string;
  source: Source;
  principal: Principal;
  /**
   * Tool call ids already in the stored history when this segment started. Approvals are created
   * only for a run's own calls, so a call the model makes in this segment has none yet: looking
   * one up is skipped for it (the gate still decides every call).
   */
  storedCalls?: ReadonlySet<string>;
}

/** Input JSON schemas by tool input schema: converting all of them costs milliseconds per run. */
export type InputSchemaCache = WeakMap<object, JSONSchema7>;

export interface AgentTools {
  tools: ToolSet;
  toolApproval: ToolApprovalConfiguration<ToolSet, unknown>;
  /** Approvals this run created, by tool call id (for the stream and the caller). */
  created: Map<string, ApprovalView>;
}

/** What the model is told about a decided approval when it is not (or no longer) runnable. */
function denialReason(row: ApprovalRow): string | undefined {
  if (row.status === "denied") {
    return `Denied by ${row.decidedBy ?? "the approver"}${row.decisionReason ? `: ${row.decisionReason}` : ""}. Do not retry this call.`;
  }
  if (row.status === "expired" || (row.status === "pending" && row.expiresAt.getTime() <= Date.now())) {
    return "The approval request expired without a decision. Do not retry unless the user asks again.";
  }
  if (row.usedAt) return "This approved call was already executed once.";
  return undefined;
}

/**
 * The registry as AI SDK tools for one run. Every execution goes through `runTool`; approval pauses
 * use the SDK's tool approval parts, but whether a call may run is decided by the gate and the
 * approvals table, never by anything a client sent.
 */
export function createAgentTools(
  deps: {
    registry: Registry;
    runTool: RunTool;
    approvals: Approvals;
    prompts: Prompts;
    inputSchemas?: InputSchemaCache;
  },
  run: AgentRunContext,
): AgentTools {
  const inputSchemas = deps.inputSchemas ?? new WeakMap();
  const inputSchemaOf = (input: z.ZodType): JSONSchema7 => {
    let schema = inputSchemas.get(input);
    if (!schema) {
      schema = z.toJSONSchema(input, { io: "input", unrepresentable: "any" }) as JSONSchema7;
      inputSchemas.set(input, schema);
    }
    return schema;
  };
  /** The approval stored for a call, if one can exist (see `storedCalls`). */
  const approvalFor = (toolCallId: string) =>
    run.storedCalls && !run.storedCalls.has(toolCallId)
      ? Promise.resolve(undefined)
      : deps.approvals.forToolCall(run.conversationId, toolCallId);
  const created = new Map<string, ApprovalView>();
  const gateOptions = { source: run.source, principal: run.principal, conversationId: run.conversationId };
  const tools: ToolSet = {};

  for (const definition of deps.registry.list()) {
    tools[definition.name] = tool({
      title: definition.title,
      description: deps.prompts.tools.get(definition.name) ?? definition.description,
      // The gate validates (and audits) the input, so the SDK passes the model's arguments through.
      inputSchema: jsonSchema(inputSchemaOf(definition.input)),
      execute: async (input, { toolCallId, abortSignal }) => {
        const approval = await approvalFor(toolCallId);
        const approvalId = approval?.status === "approved" ? approval.id : undefined;
        const result = await deps.runTool(
          { tool: definition.name, args: input, approvalId },
          { ...gateOptions, signal: abortSignal },
        );
        if (result.status === "approval_required") {
          return { status: "approval_required", message: `Waiting for approval ${result.approval.id}` };
        }
        // Secrets never reach the model, even where a tool returned one.
        const output = redact(result.result);
        return result.truncated
          ? { truncated: true, note: "Output was cut to fit; narrow the request.", output }
          : output;
      },
    });
  }

  const toolApproval: ToolApprovalConfiguration<ToolSet, unknown> = async ({ toolCall }) => {
    const existing = await approvalFor(toolCall.toolCallId);
    if (existing) {
      const denied = denialReason(existing);
      if (denied) return { type: "denied", reason: denied };
      return existing.status === "approved" ? "not-applicable" : "user-approval";
    }
    if (!deps.registry.get(toolCall.toolName)) return "not-applicable"; // the SDK reports the unknown tool
    try {
      const decision = await deps.runTool(
        { tool: toolCall.toolName, args: toolCall.input },
        {
          ...gateOptions,
          authorizeOnly: true,
          run: { conversationId: run.conversationId, runId: run.runId, toolCallId: toolCall.toolCallId },
        },
      );
      if (decision.status === "allowed") return "not-applicable";
      created.set(toolCall.toolCallId, decision.approval);
      const { tool: name, target } = decision.approval;
      return { type: "user-approval", reason: `${name}${target ? ` on ${target}` : ""} needs approval` };
    } catch (error) {
      if (error instanceof JarvisError && (error.code === "denied" || error.code === "forbidden")) {
        return { type: "denied", reason: error.message };
      }
      throw error;
    }
  };

  return { tools, toolApproval, created };
}
