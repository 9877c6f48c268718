import { type Approvals, type ApprovalView, viewApproval } from "../agent/approvals.ts";
import type { AuditLog } from "../agent/audit.ts";
import { evaluatePolicy } from "../agent/policy.ts";
import type { Config, Source } from "../config.ts";
import { JarvisError, toJarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { argsHash } from "./canonical.ts";
import type { Clients } from "./clients.ts";
import { type Principal, riskOf, type Tool, type ToolContext } from "./define-tool.ts";
import { inputError } from "./input-error.ts";
import type { Registry } from "./registry.ts";
import { truncateOutput } from "./truncate.ts";

export interface ToolCall {
  tool: string;
  args: unknown;
  /** Executes a call that an approver approved; it must match the approval's binding exactly. */
  approvalId?: string;
}

export interface RunOptions {
  source: Source;
  principal: Principal;
  signal?: AbortSignal;
  /** Why the caller wants this (shown on an approval request). */
  reason?: string;
  /**
   * Decide only: validate, resolve the target, apply the policy and create the approval an `ask`
   * needs, but do not execute. An allowed call answers `{status: "allowed"}` and is audited when
   * it is then run. The agent loop uses this to pause before a tool runs.
   */
  authorizeOnly?: boolean;
  /** The agent conversation making the call (tools record it as a source). */
  conversationId?: string;
  /**
   * A caller that cannot carry an approval id (an MCP client without elicitation) calls again after
   * approval: an approved, unused approval for exactly this call by this requester is used (once),
   * and a still-pending one is returned instead of asking twice. An approval is never created or
   * decided by this option, only found.
   */
  reuseApproval?: boolean;
  /** The agent run that asked, stored on an approval so that deciding it resumes the run. */
  run?: { conversationId: string; runId: string; toolCallId: string };
}

export type RunResult =
  | {
      status: "ok";
      tool: string;
      target: string | null;
      result: unknown;
      truncated: boolean;
      durationMs: number;
      auditId: number;
      approvalId: string | null;
    }
  | ApprovalRequired;

export type ApprovalRequired = { status: "approval_required"; approval: ApprovalView; auditId: number };

/** What `authorizeOnly` answers: go ahead, or the approval that now waits. */
export type Authorization = { status: "allowed"; tool: string; target: string | null } | ApprovalRequired;

export interface GateDeps {
  registry: Registry;
  clients: Clients;
  approvals: Approvals;
  audit: AuditLog;
  policy: Config["policy"];
  limits: { timeoutMs: number; maxOutputBytes: number; approvalTtlMs: number };
  log: Logger;
}

export interface RunTool {
  (call: ToolCall, options: RunOptions & { authorizeOnly: true }): Promise<Authorization>;
  (call: ToolCall, options: RunOptions): Promise<RunResult>;
}

/** Runs `run` with a timeout and the caller's abort signal; a tool that ignores the signal still stops the wait. */
async function execute<T>(
  run: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  caller: AbortSignal | undefined,
  tool: string,
): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  if (signal.aborted) throw new JarvisError("aborted", `${tool} was cancelled before it started`);
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        timeout.aborted
          ? new JarvisError("timeout", `${tool} timed out after ${Math.round(timeoutMs / 1000)} s`)
          : new JarvisError("aborted", `${tool} was cancelled`),
      );
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([run(signal), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The tool's warning for an approver, if it has one within 3 s; never fails the call. */
async function warningOf<Input>(
  tool: Tool<Input>,
  input: Input,
  ctx: ToolContext,
  target: string | undefined,
): Promise<string | undefined> {
  if (!tool.warn) return undefined;
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(3000)]);
  return Promise.race([
    tool.warn(input, { ...ctx, signal }, target).catch(() => undefined),
    new Promise<undefined>((resolve) =>
      signal.addEventListener("abort", () => resolve(undefined), { once: true }),
    ),
  ]);
}

function timeoutOf<Input>(tool: Tool<Input>, input: Input, fallback: number): number {
  const own = typeof tool.timeoutMs === "function" ? tool.timeoutMs(input) : tool.timeoutMs;
  return own ?? fallback;
}

/**
 * The one gate. Every tool call from every surface comes through here:
 * validate → policy → audit → execute → audit. Nothing else calls a tool's `run`.
 */
export function createRunTool(deps: GateDeps): RunTool {
  const { registry, approvals, audit, log } = deps;

  async function runTool(call: ToolCall, options: RunOptions): Promise<RunResult | Authorization> {
    const { source, principal } = options;
    const base = { source, principal: principal.id, tool: call.tool };
    const tool = registry.get(call.tool);
    if (!tool) {
      const message = `Unknown tool ${call.tool}. List the available tools with GET /api/tools.`;
      await audit.start({
        ...base,
        args: call.args ?? {},
        decision: "invalid",
        outcome: "error",
        errorCode: "unknown_tool",
        errorMessage: message,
      });
      throw new JarvisError("unknown_tool", message);
    }

    const parsed = tool.input.safeParse(call.args ?? {});
    if (!parsed.success && options.authorizeOnly) {
      // The execution that follows reports (and audits) the bad input once.
      return { status: "allowed", tool: tool.name, target: null };
    }
    if (!parsed.success) {
      const error = inputError(tool.name, parsed.error);
      await audit.start({
        ...base,
        args: call.args ?? {},
        decision: "invalid",
        outcome: "invalid_input",
        errorCode: error.code,
        errorMessage: error.message,
      });
      throw error;
    }
    const input = parsed.data;
    const risk = riskOf(tool, input);
    const hash = argsHash(tool.name, input);
    const controller = new AbortController();
    const ctx: ToolContext = {
      clients: deps.clients,
      signal: options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal,
      log: log.child({ tool: tool.name }),
      source,
      principal,
      conversationId: options.conversationId ?? options.run?.conversationId,
    };
    const entry = { ...base, args: input, argsHash: hash, risk };

    let target: string | undefined;
    let members: readonly string[] | undefined;
    try {
      const named = tool.target ? await tool.target(input, ctx) : undefined;
      if (typeof named === "string" || named === undefined) target = named;
      else {
        members = named;
        target = named.join(",");
      }
    } catch (error) {
      // Deciding only: the execution that follows reports (and audits) the failure once.
      if (options.authorizeOnly) return { status: "allowed", tool: tool.name, target: null };
      const failure = toJarvisError(error, "tool_failed");
      await audit.start({
        ...entry,
        decision: "invalid",
        outcome: "error",
        errorCode: failure.code,
        errorMessage: failure.message,
      });
      throw failure;
    }

    const finishRefused = async (
      decision: "allow" | "ask" | "deny",
      error: JarvisError,
      approvalId?: string,
    ) => {
      await audit.start({
        ...entry,
        target,
        decision,
        approvalId,
        outcome: error.code === "denied" ? "denied" : "error",
        errorCode: error.code,
        errorMessage: error.message,
      });
      throw error;
    };

    if (principal.role === "viewer" && risk !== "read") {
      await finishRefused(
        "deny",
        new JarvisError(
          "forbidden",
          `${principal.name} has a viewer token and may only run read tools; ${tool.name} is ${risk}`,
        ),
      );
    }

    const query = { tool: tool.name, target, targets: members, source, risk };
    let verdict = evaluatePolicy(deps.policy.rules, [], query);
    if (verdict.decision === "ask")
      verdict = evaluatePolicy(deps.policy.rules, await approvals.activeGrants(), query);
    if (verdict.decision === "deny") {
      await finishRefused(
        "deny",
        new JarvisError(
          "denied",
          `${tool.name}${target ? ` on ${target}` : ""} is denied by policy (${verdict.reason})`,
        ),
      );
    }

    let approvalId: string | null = null;
    if (call.approvalId) {
      const approval = await approvals.get(call.approvalId);
      const mismatch = !approval
        ? `No approval ${call.approvalId}`
        : approval.tool !== tool.name
          ? `Approval ${approval.id} is for ${approval.tool}, not ${tool.name}`
          : approval.argsHash !== hash
            ? `Approval ${approval.id} was given for different arguments`
            : (approval.target ?? undefined) !== target
              ? `Approval ${approval.id} was given for target ${approval.target}, not ${target}`
              : approval.requester !== principal.id
                ? `Approval ${approval.id} was requested by someone else`
                : undefined;
      if (mismatch) {
        await finishRefused(
          verdict.decision,
          new JarvisError(approval ? "approval_invalid" : "not_found", mismatch),
          approval?.id,
        );
      }
      try {
        approvalId = (await approvals.consume(call.approvalId)).id;
      } catch (error) {
        await finishRefused(verdict.decision, toJarvisError(error), call.approvalId);
      }
    } else if (verdict.decision === "ask") {
      const approved = options.reuseApproval
        ? await approvals.findApproved(tool.name, hash, principal.id)
        : undefined;
      if (approved && (approved.target ?? undefined) === target && !options.authorizeOnly) {
        try {
          approvalId = (await approvals.consume(approved.id)).id;
        } catch {
          // used or expired in the meantime: ask again below
        }
      }
    }
    if (verdict.decision === "ask" && !call.approvalId && !approvalId) {
      const pending = options.reuseApproval
        ? await approvals.findPending(tool.name, hash, principal.id)
        : undefined;
      if (pending && (pending.target ?? undefined) === target) {
        const auditId = await audit.start({
          ...entry,
          target,
          decision: "ask",
          approvalId: pending.id,
          outcome: "approval_required",
        });
        return { status: "approval_required", approval: viewApproval(pending), auditId };
      }
      const warning = await warningOf(tool, input, ctx, target);
      const approval = await approvals.create({
        tool: tool.name,
        args: input,
        argsHash: hash,
        target,
        risk,
        source,
        requester: principal.id,
        reason: [options.reason ?? verdict.reason, warning && `Warning: ${warning}`]
          .filter(Boolean)
          .join(". "),
        ttlMs: deps.limits.approvalTtlMs,
        ...options.run,
      });
      const auditId = await audit.start({
        ...entry,
        target,
        decision: "ask",
        approvalId: approval.id,
        outcome: "approval_required",
      });
      log.info("approval required", {
        tool: tool.name,
        target,
        approval: approval.id,
        requester: principal.id,
      });
      return { status: "approval_required", approval: viewApproval(approval), auditId };
    }

    if (options.authorizeOnly) return { status: "allowed", tool: tool.name, target: target ?? null };

    const auditId = await audit.start({
      ...entry,
      target,
      decision: verdict.decision,
      approvalId: approvalId ?? undefined,
      outcome: "running",
    });
    const started = performance.now();
    try {
      const raw = await execute(
        (signal) => tool.run(input, { ...ctx, signal, target }),
        timeoutOf(tool, input, deps.limits.timeoutMs),
        ctx.signal,
        tool.name,
      );
      const durationMs = Math.round(performance.now() - started);
      const { value, truncated } = truncateOutput(raw, deps.limits.maxOutputBytes);
      await audit.finish(auditId, { outcome: "ok", durationMs });
      return {
        status: "ok",
        tool: tool.name,
        target: target ?? null,
        result: value,
        truncated,
        durationMs,
        auditId,
        approvalId,
      };
    } catch (error) {
      controller.abort();
      const failure = toJarvisError(error, "tool_failed");
      const durationMs = Math.round(performance.now() - started);
      await audit.finish(auditId, {
        outcome: "error",
        durationMs,
        errorCode: failure.code,
        errorMessage: failure.message,
      });
      throw failure;
    }
  }
  return runTool as RunTool;
}
