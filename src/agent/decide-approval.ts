import { JarvisError } from "../errors.ts";
import type { Principal } from "../tools/define-tool.ts";
import type { RunResult, RunTool } from "../tools/run-tool.ts";
import { type Approvals, type ApprovalView, viewApproval } from "./approvals.ts";

export interface Decision {
  decision: "approve" | "deny";
  reason?: string;
  /** "Allow this tool on this target for N minutes": a grant the policy honours until it expires. */
  grantMinutes?: number;
}

export type DecisionResult =
  | { approval: ApprovalView; run: RunResult; resumedRun?: undefined }
  | { approval: ApprovalView; run?: undefined; resumedRun?: string };

/** Principals that may decide approvals. A viewer never can. */
export function canApprove(principal: Principal): boolean {
  return principal.role === "admin" || principal.role === "operator";
}

/**
 * Decides a pending approval. Approving executes the bound call once, through the gate, as the
 * requester (the audit row links the approval, which records who approved).
 */
export function createDecideApproval(deps: {
  approvals: Approvals;
  runTool: RunTool;
  resolvePrincipal: (id: string) => Principal;
  /**
   * Called when an approval an agent run waits on is decided: the run executes (or is told of the
   * denial) itself, so the call is not executed here.
   */
  onRunApproval?: (approval: ApprovalView) => Promise<void>;
  /** Told of every other decision once it is carried out (the incident loop continues after it). */
  onDecided?: (approval: ApprovalView, run?: RunResult, error?: unknown) => Promise<void>;
}) {
  return async function decideApproval(
    id: string,
    decision: Decision,
    approver: Principal,
  ): Promise<DecisionResult> {
    if (!canApprove(approver)) {
      throw new JarvisError("forbidden", `${approver.name} (${approver.role}) may not decide approvals`);
    }
    const row = await deps.approvals.decide(
      id,
      decision.decision === "approve" ? "approved" : "denied",
      approver.id,
      decision.reason,
    );
    if (decision.grantMinutes && decision.decision === "approve") {
      await deps.approvals.grant({
        tool: row.tool,
        target: row.target,
        grantedBy: approver.id,
        approvalId: row.id,
        minutes: decision.grantMinutes,
      });
    }
    if (row.runId && deps.onRunApproval) {
      await deps.onRunApproval(viewApproval(row));
      return { approval: viewApproval(row), resumedRun: row.runId };
    }
    if (decision.decision === "deny") {
      await deps.onDecided?.(viewApproval(row));
      return { approval: viewApproval(row) };
    }
    // An MCP client calls again with the same arguments and that call uses the approval (the
    // result goes back to the client that asked), so it is not executed here.
    if (row.source === "mcp") return { approval: viewApproval(row) };
    let run: RunResult;
    try {
      run = await deps.runTool(
        { tool: row.tool, args: row.args, approvalId: row.id },
        { source: row.source as never, principal: deps.resolvePrincipal(row.requester) },
      );
    } catch (error) {
      await deps.onDecided?.(viewApproval(row), undefined, error);
      throw error;
    }
    await deps.onDecided?.(viewApproval(row), run);
    const after = (await deps.approvals.get(id)) ?? row;
    return { approval: viewApproval(after), run };
  };
}
export type DecideApproval = ReturnType<typeof createDecideApproval>;
