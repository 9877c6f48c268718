import type { AuditLog } from "../agent/audit.ts";
import { toJarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Principal } from "../tools/define-tool.ts";
import type { RunTool } from "../tools/run-tool.ts";
import type { Diagnose } from "./diagnose.ts";
import type { IncidentMemory } from "./memory.ts";
import { conditionsHold, matchRunbook, type Runbook, renderArgs } from "./runbook.ts";
import type { IncidentRow, IncidentStore, PendingAction } from "./store.ts";

/** Who acts for alerts: an operator-level principal, always with source "alert" at the gate. */
export const remediationPrincipal: Principal = {
  id: "alert:jarvis",
  name: "Jarvis remediation",
  role: "operator",
};

export interface RemediationSettings {
  /** The circuit breaker: automatic actions per target per hour. */
  maxActionsPerHour: number;
  /** The Docker host a runbook uses when the alert has no `host` label. */
  defaultHost: string;
}

export interface RemediationDeps {
  store: IncidentStore;
  runTool: RunTool;
  audit: AuditLog;
  runbooks: readonly Runbook[];
  settings: RemediationSettings;
  memory?: IncidentMemory;
  /** With an LLM configured: a diagnosis, and perhaps a different action (still through the gate). */
  diagnose?: Diagnose;
  log: Logger;
  signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * The closed loop for one incident: investigate (evidence through the gate) → decide from the
 * runbook → act through the gate (policy allows, or an approval is requested and the loop stops
 * until it is decided) → verify → retry within the runbook's attempts → resolve or escalate.
 * Every step is written to the incident before the next, so a restarted process can resume.
 */
export function createRemediation(deps: RemediationDeps) {
  const { store, runTool, log } = deps;
  const options = { source: "alert" as const, principal: remediationPrincipal, signal: deps.signal };

  const varsOf = (incident: IncidentRow) => {
    const labels = incident.labels as Record<string, string>;
    return {
      labels,
      host: incident.targetHost ?? labels.host ?? deps.settings.defaultHost,
      container: incident.targetContainer ?? labels.container ?? labels.name,
      mountpoint: labels.mountpoint,
    };
  };

  async function status(incident: IncidentRow, next: IncidentRow["status"], note?: string) {
    await store.addEvent(incident.id, "status", {
      from: incident.status,
      to: next,
      ...(note ? { note } : {}),
    });
    return store.update(incident.id, { status: next });
  }

  async function finish(incident: IncidentRow, outcome: "resolved" | "escalated", summary: string) {
    await store.addEvent(incident.id, "status", { from: incident.status, to: outcome, summary });
    const done = await store.update(incident.id, {
      status: outcome,
      summary,
      pendingAction: null,
      approvalId: outcome === "escalated" ? incident.approvalId : null,
    });
    log.info(`incident ${outcome}`, { incident: incident.id, summary });
    await deps.memory?.rememberOutcome(done).catch((error) => log.warn("memory: not remembered", { error }));
    return done;
  }

  /** Runs one read step through the gate and records it; a failure is evidence too. */
  async function evidence(
    incident: IncidentRow,
    step: { id: string; tool: string; args: Record<string, unknown> },
  ) {
    try {
      const result = await runTool({ tool: step.tool, args: step.args }, options);
      if (result.status !== "ok") {
        await store.addEvent(
          incident.id,
          "evidence",
          { step: step.id, tool: step.tool, approval: result.approval.id },
          result.auditId,
        );
        return undefined;
      }
      await store.addEvent(
        incident.id,
        "evidence",
        { step: step.id, tool: step.tool, args: step.args, result: result.result },
        result.auditId,
      );
      return result.result;
    } catch (error) {
      if (deps.signal.aborted) throw error;
      const failure = toJarvisError(error);
      await store.addEvent(incident.id, "evidence", {
        step: step.id,
        tool: step.tool,
        args: step.args,
        error: { code: failure.code, message: failure.message },
      });
      return { error: failure.code };
    }
  }

  async function gather(incident: IncidentRow, runbook: Runbook): Promise<Record<string, unknown>> {
    const vars = varsOf(incident);
    const results: Record<string, unknown> = {};
    for (const step of runbook.evidence) {
      results[step.id] = await evidence(incident, { ...step, args: renderArgs(step.args, vars) });
    }
    return results;
  }

  /** Starts (or restarts after a crash) the loop from investigation. */
  async function investigate(start: IncidentRow): Promise<void> {
    const runbook = matchRunbook(deps.runbooks, start.labels as Record<string, string>);
    if (!runbook) {
      await finish(
        start,
        "escalated",
        "No runbook matches this alert's labels; a person needs to look at it.",
      );
      return;
    }
    let incident = await store.update(start.id, { runbook: runbook.name });
    incident = await status(incident, "investigating", `runbook ${runbook.name}`);
    const similar = await deps.memory?.recallSimilar(incident).catch(() => []);
    if (similar?.length) await store.addEvent(incident.id, "note", { recalled: similar });
    const results = await gather(incident, runbook);
    // What fixed similar incidents before goes to the model with the evidence (as data).
    const proposal = await diagnosis(
      incident,
      runbook,
      similar?.length ? { ...results, pastIncidents: similar } : results,
    );
    await act(incident, runbook, results, proposal);
  }

  /** Asks the model (if any) for a diagnosis; its failure is a note, never the end of the loop. */
  async function diagnosis(incident: IncidentRow, runbook: Runbook, results: Record<string, unknown>) {
    if (!deps.diagnose) return undefined;
    try {
      const answer = await deps.diagnose(incident, runbook, results, deps.signal);
      if (!answer) return undefined;
      await store.addEvent(incident.id, "note", {
        diagnosis: answer.diagnosis,
        proposed: answer.action ?? null,
      });
      return answer.action && { ...answer.action, reason: answer.action.reason ?? "proposed by the model" };
    } catch (error) {
      if (deps.signal.aborted) throw error;
      await store.addEvent(incident.id, "note", { diagnosis: null, error: toJarvisError(error).message });
      return undefined;
    }
  }

  /** Picks the first runbook action whose conditions hold and takes it through the gate. */
  async function act(
    incident: IncidentRow,
    runbook: Runbook,
    results: Record<string, unknown>,
    proposed?: { tool: string; args: Record<string, unknown>; reason: string },
  ): Promise<void> {
    // A model's proposal replaces the runbook's choice; its arguments are literal, not templates.
    const action = proposed
      ? { ...proposed, args: proposed.args as Record<string, string | number | boolean> }
      : runbook.actions.find((a) => !a.when || conditionsHold(a.when, results));
    if (!action) {
      await store.addEvent(incident.id, "decision", {
        action: null,
        why: "no runbook action applies to the evidence",
      });
      await finish(
        incident,
        "escalated",
        `${runbook.title}: no automatic remedy applies; the evidence is in the timeline.`,
      );
      return;
    }
    if (incident.attempts >= runbook.maxAttempts) {
      await finish(
        incident,
        "escalated",
        `${runbook.title}: still failing after ${incident.attempts} attempt(s) of ${action.tool}; the evidence is in the timeline.`,
      );
      return;
    }
    const args = renderArgs(action.args, varsOf(incident));
    const call = { tool: action.tool, args };
    await store.addEvent(incident.id, "decision", {
      tool: action.tool,
      args,
      reason: action.reason,
      attempt: incident.attempts + 1,
    });
    const auth = await runTool(call, {
      ...options,
      authorizeOnly: true,
      reason: `Incident "${incident.title}": ${action.reason}`,
    });
    if (auth.status === "approval_required") {
      await store.addEvent(
        incident.id,
        "approval",
        { approval: auth.approval.id, status: "requested", tool: action.tool, target: auth.approval.target },
        auth.auditId,
      );
      const waiting = await store.update(incident.id, { approvalId: auth.approval.id });
      await status(waiting, "awaiting_approval");
      return;
    }
    const target = auth.target ?? action.tool;
    const hourAgo = new Date(Date.now() - 3_600_000);
    const used = await store.automaticActionsSince(target, hourAgo);
    if (used >= deps.settings.maxActionsPerHour) {
      await store.addEvent(incident.id, "decision", {
        action: null,
        why: "circuit breaker open",
        target,
        actionsLastHour: used,
      });
      await finish(
        incident,
        "escalated",
        `Circuit breaker open: ${used} automatic action(s) on ${target} in the last hour (limit ${deps.settings.maxActionsPerHour}); not acting again.`,
      );
      return;
    }
    const last = incident.attempts === 0 ? await store.lastActionByOther(target, incident.id) : undefined;
    if (last && Date.now() - last.getTime() < runbook.cooldownMinutes * 60_000) {
      await store.addEvent(incident.id, "decision", {
        action: null,
        why: "cooldown",
        target,
        lastAction: last.toISOString(),
      });
      await finish(
        incident,
        "escalated",
        `${target} was remediated ${Math.round((Date.now() - last.getTime()) / 60_000)} minute(s) ago, within the ${runbook.cooldownMinutes}-minute cooldown; not acting again.`,
      );
      return;
    }
    const pending: PendingAction = { tool: action.tool, args, target, since: new Date().toISOString() };
    let current = await store.update(incident.id, {
      pendingAction: pending,
      attempts: incident.attempts + 1,
    });
    current = await status(current, "remediating", `${action.tool} on ${target}`);
    let result: Awaited<ReturnType<RunTool>>;
    try {
      result = await runTool(call, { ...options, reason: action.reason });
    } catch (error) {
      if (deps.signal.aborted) throw error;
      const failure = toJarvisError(error);
      await store.addEvent(current.id, "tool_call", {
        tool: action.tool,
        args,
        error: { code: failure.code, message: failure.message },
      });
      await store.recordAction({ target, tool: action.tool, incidentId: current.id, automatic: true });
      await store.update(current.id, { pendingAction: null });
      return verify(await store.update(current.id, {}), runbook);
    }
    if (result.status === "approval_required") {
      await store.addEvent(
        current.id,
        "approval",
        { approval: result.approval.id, status: "requested" },
        result.auditId,
      );
      const waiting = await store.update(current.id, { approvalId: result.approval.id, pendingAction: null });
      await status(waiting, "awaiting_approval");
      return;
    }
    await store.recordAction({
      target,
      tool: action.tool,
      incidentId: current.id,
      auditId: result.auditId,
      automatic: true,
    });
    await store.addEvent(
      current.id,
      "tool_call",
      { tool: action.tool, args, target, result: result.result, automatic: true },
      result.auditId,
    );
    await verify(await store.update(current.id, { pendingAction: null }), runbook);
  }

  /** Polls the runbook's verification until it holds, fails for sure, or times out; then retries or escalates. */
  async function verify(start: IncidentRow, runbook: Runbook): Promise<void> {
    const incident = await status(start, "verifying");
    const check = runbook.verify;
    if (!check) {
      await finish(
        incident,
        "resolved",
        `${runbook.title}: the remedy ran; this runbook has no verification.`,
      );
      return;
    }
    const args = renderArgs(check.args, varsOf(incident));
    const deadline = Date.now() + check.timeoutSeconds * 1000;
    let last: unknown;
    for (;;) {
      let ok = true;
      let failed = false;
      if (check.tool) {
        try {
          const result = await runTool({ tool: check.tool, args }, options);
          last = result.status === "ok" ? result.result : undefined;
        } catch (error) {
          if (deps.signal.aborted) throw error;
          last = { error: toJarvisError(error).message };
        }
        ok = conditionsHold(check.expect, last as Record<string, unknown>);
        failed =
          !!check.failWhen &&
          Object.keys(check.failWhen).length > 0 &&
          conditionsHold(check.failWhen, last as Record<string, unknown>);
      }
      if (ok && check.alertResolved) ok = await store.alertResolved(incident.fingerprint);
      if (ok) {
        await store.addEvent(incident.id, "evidence", {
          step: "verify",
          tool: check.tool,
          result: last,
          verified: true,
        });
        await finish(
          incident,
          "resolved",
          `${runbook.title}: fixed after ${incident.attempts} attempt(s); verified ${describe(check.expect)}${check.alertResolved ? " and the alert resolved" : ""}.`,
        );
        return;
      }
      if (failed || Date.now() >= deadline) break;
      await sleep(check.intervalSeconds * 1000, deps.signal);
    }
    await store.addEvent(incident.id, "evidence", {
      step: "verify",
      tool: check.tool,
      result: last,
      verified: false,
    });
    if (incident.attempts >= runbook.maxAttempts) {
      await finish(
        incident,
        "escalated",
        `${runbook.title}: not fixed after ${incident.attempts} attempt(s) (the runbook allows ${runbook.maxAttempts}); the evidence is in the timeline.`,
      );
      return;
    }
    await act(incident, runbook, await gather(incident, runbook));
  }

  const describe = (expect: Record<string, unknown>) =>
    Object.entries(expect)
      .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(" or ") : v}`)
      .join(", ") || "the check";

  const runbookOf = (incident: IncidentRow) => deps.runbooks.find((r) => r.name === incident.runbook);

  return {
    investigate,

    /** Continues after a person decided the approval the incident waited on. */
    async afterApproval(
      incident: IncidentRow,
      outcome: {
        approved: boolean;
        by: string | null;
        tool: string;
        target: string | null;
        auditId?: number;
        result?: unknown;
        error?: string;
        /** Set when the approval expired, or was approved but never executed, while no process ran. */
        lapsed?: string;
      },
    ) {
      const runbook = runbookOf(incident);
      const status = outcome.lapsed ?? (outcome.approved ? "approved" : "denied");
      await store.addEvent(incident.id, "approval", {
        approval: incident.approvalId,
        status,
        by: outcome.by,
      });
      if (!outcome.approved || !runbook) {
        const why = outcome.lapsed
          ? `its approval is ${outcome.lapsed} and was never carried out`
          : outcome.approved
            ? "approved but its runbook is gone"
            : `denied by ${outcome.by ?? "a person"}`;
        await finish(incident, "escalated", `The remediation was ${why}; a person takes it from here.`);
        return;
      }
      const row = await store.update(incident.id, { approvalId: null, attempts: incident.attempts + 1 });
      const target = outcome.target ?? incident.runbook ?? "";
      await store.recordAction({
        target,
        tool: outcome.tool,
        incidentId: incident.id,
        auditId: outcome.auditId,
        automatic: false,
      });
      await store.addEvent(
        incident.id,
        "tool_call",
        { tool: outcome.tool, target, approved: true, result: outcome.result, error: outcome.error },
        outcome.auditId,
      );
      await verify(row, runbook);
    },

    /**
     * Resumes an incident a previous process left mid-way. A remedy whose audit row exists was
     * (or may have been) executed: it is verified, never repeated blindly.
     */
    async resume(incident: IncidentRow): Promise<void> {
      const runbook = runbookOf(incident);
      if (!runbook || incident.status === "open" || incident.status === "investigating")
        return investigate(incident);
      await store.addEvent(incident.id, "note", { resumed: incident.status });
      if (incident.status === "verifying") return verify(incident, runbook);
      if (incident.status === "remediating") {
        const pending = incident.pendingAction as PendingAction | null;
        const happened = pending
          ? await deps.audit.list({ tool: pending.tool, principal: remediationPrincipal.id, limit: 20 })
          : [];
        const row = happened.find(
          (a) =>
            pending &&
            a.at >= new Date(pending.since) &&
            a.target === pending.target &&
            a.decision === "allow",
        );
        if (row) {
          await store.recordAction({
            target: pending!.target,
            tool: pending!.tool,
            incidentId: incident.id,
            auditId: row.id,
            automatic: true,
          });
          await store.addEvent(
            incident.id,
            "tool_call",
            {
              tool: pending!.tool,
              args: pending!.args,
              target: pending!.target,
              outcome: row.outcome,
              note: "found in the audit log after a restart; not repeated",
            },
            row.id,
          );
          return verify(await store.update(incident.id, { pendingAction: null }), runbook);
        }
        const back = await store.update(incident.id, {
          pendingAction: null,
          attempts: Math.max(0, incident.attempts - 1),
        });
        return act(back, runbook, await gather(back, runbook));
      }
    },
  };
}
export type Remediation = ReturnType<typeof createRemediation>;
