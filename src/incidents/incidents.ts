import { type Approvals, type ApprovalView, viewApproval } from "../agent/approvals.ts";
import type { AuditLog } from "../agent/audit.ts";
import { JarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { RunResult, RunTool } from "../tools/run-tool.ts";
import { type Alert, severityOf, titleOf } from "./alert.ts";
import type { Diagnose } from "./diagnose.ts";
import type { IncidentMemory } from "./memory.ts";
import { createRemediation, type RemediationSettings } from "./remediate.ts";
import type { Runbook } from "./runbook.ts";
import type { IncidentRow, IncidentStore } from "./store.ts";

export interface IncidentsDeps {
  store: IncidentStore;
  approvals: Approvals;
  runTool: RunTool;
  audit: AuditLog;
  runbooks: readonly Runbook[];
  settings: RemediationSettings;
  memory?: IncidentMemory;
  diagnose?: Diagnose;
  log: Logger;
  /**
   * Hands a loop step to the job queue (with Redis: any worker runs it, through `perform`).
   * Without it the loops run in this process, in the background.
   */
  dispatch?: (task: RemediationTask) => Promise<void>;
}

type AfterApproval = Parameters<ReturnType<typeof createRemediation>["afterApproval"]>[1];

/** One step of an incident's loop, as plain data a job carries to another process. */
export type RemediationTask =
  | { step: "investigate" | "resume"; incident: string }
  | { step: "afterApproval"; incident: string; outcome: AfterApproval };

/** What an alert delivery did: the incident it opened or counted on, if it was firing. */
export interface Ingested {
  fingerprint: string;
  status: "firing" | "resolved";
  incident: string | null;
  created: boolean;
}

/**
 * Incidents: alerts in, deduplicated by fingerprint into incidents, each driven through the
 * remediation loop in the background. `idle()` waits for the loops; `stop()` abandons them as a
 * crash would (nothing more is written), for a later `resume()`.
 */
export function createIncidents(deps: IncidentsDeps) {
  const { store, log } = deps;
  const controller = new AbortController();
  const loop = createRemediation({ ...deps, signal: controller.signal });
  const running = new Set<Promise<void>>();

  const failed = async (incidentId: string, error: unknown) => {
    if (controller.signal.aborted) return;
    log.error("incident loop failed", { incident: incidentId, error });
    const message = error instanceof Error ? error.message : String(error);
    await store.addEvent(incidentId, "note", { error: message }).catch(() => {});
    await store
      .update(incidentId, { status: "failed", summary: `The remediation loop failed: ${message}` })
      .catch(() => {});
  };

  function background(incidentId: string, work: () => Promise<void>): void {
    const task = work()
      .catch((error) => failed(incidentId, error))
      .finally(() => running.delete(task));
    running.add(task);
  }

  /** Runs a loop step here in the background, or hands it to the job queue when there is one. */
  function begin(task: RemediationTask, work: () => Promise<void>): void {
    if (!deps.dispatch) {
      background(task.incident, work);
      return;
    }
    deps.dispatch(task).catch((error) => log.error("cannot enqueue an incident step", { task, error }));
  }

  return {
    store,
    /** The runbooks the loop matches alerts against (also offered as MCP prompts). */
    runbooks: deps.runbooks,

    /** Records alerts and opens, counts or clears incidents for them. */
    async ingest(alerts: readonly Alert[]): Promise<Ingested[]> {
      const out: Ingested[] = [];
      for (const alert of alerts) {
        await store.recordAlert(alert);
        if (alert.status === "resolved") {
          const open = await store.openFor(alert.fingerprint);
          if (open) await store.addEvent(open.id, "alert", { status: "resolved", labels: alert.labels });
          out.push({
            fingerprint: alert.fingerprint,
            status: "resolved",
            incident: open?.id ?? null,
            created: false,
          });
          continue;
        }
        const { incident, created } = await store.openOrUpdate(alert, {
          title: titleOf(alert),
          severity: severityOf(alert),
          host: alert.labels.host,
          container: alert.labels.container ?? alert.labels.name,
        });
        if (created) {
          await store.addEvent(incident.id, "alert", {
            status: "firing",
            source: alert.source,
            labels: alert.labels,
            annotations: alert.annotations,
          });
          log.info("incident opened", { incident: incident.id, title: incident.title });
          begin({ step: "investigate", incident: incident.id }, () => loop.investigate(incident));
        }
        out.push({ fingerprint: alert.fingerprint, status: "firing", incident: incident.id, created });
      }
      return out;
    },

    /** Called after any approval decision: continues the incident that waited on it, if one did. */
    async onApprovalDecided(approval: ApprovalView, run?: RunResult, error?: unknown): Promise<void> {
      const incident = await store.forApproval(approval.id);
      if (incident?.status !== "awaiting_approval") return;
      const approved = approval.status === "approved";
      const outcome: AfterApproval = {
        approved,
        by: approval.decidedBy,
        tool: approval.tool,
        target: approval.target,
        auditId: run?.auditId,
        result: run?.status === "ok" ? run.result : undefined,
        error: error instanceof Error ? error.message : undefined,
      };
      begin({ step: "afterApproval", incident: incident.id, outcome }, () =>
        loop.afterApproval(incident, outcome),
      );
    },

    async acknowledge(id: string, by: string, note?: string): Promise<IncidentRow> {
      await mustGet(id);
      await store.addEvent(id, "note", { acknowledged: by, ...(note ? { note } : {}) });
      return store.update(id, { acknowledgedBy: by });
    },

    /** A person closes or escalates an incident by hand. */
    async close(
      id: string,
      outcome: "resolved" | "escalated",
      by: string,
      note?: string,
    ): Promise<IncidentRow> {
      const incident = await mustGet(id);
      if (incident.closedAt)
        throw new JarvisError("conflict", `Incident ${id} is already ${incident.status}`);
      // A remedy still waiting for approval must not run after a person took the incident over.
      if (incident.status === "awaiting_approval" && incident.approvalId) {
        const withdrawn = await deps.approvals
          .decide(incident.approvalId, "denied", by, `the incident was ${outcome} by hand`)
          .then(
            () => true,
            () => false,
          );
        if (withdrawn)
          await store.addEvent(id, "approval", { approval: incident.approvalId, status: "withdrawn", by });
      }
      await store.addEvent(id, "status", {
        from: incident.status,
        to: outcome,
        by,
        ...(note ? { note } : {}),
      });
      return store.update(id, {
        status: outcome,
        summary: note ?? `${outcome === "resolved" ? "Resolved" : "Escalated"} by ${by}`,
        pendingAction: null,
      });
    },

    /** On start-up: continues every incident a previous process left in the middle of its loop. */
    async resume(): Promise<number> {
      const stuck = await store.list({
        status: ["open", "investigating", "remediating", "verifying"],
        open: true,
        limit: 1000,
      });
      for (const incident of stuck)
        begin({ step: "resume", incident: incident.id }, () => loop.resume(incident));
      // Approvals decided (or expired) while no process was there to continue the loop.
      const waiting = await store.list({ status: ["awaiting_approval"], open: true, limit: 1000 });
      let moved = 0;
      for (const incident of waiting) {
        const row = incident.approvalId ? await deps.approvals.get(incident.approvalId) : undefined;
        const approval = row && viewApproval(row);
        if (approval?.status === "pending") continue;
        moved++;
        const approved = approval?.status === "approved" && approval.usedAt !== null;
        const outcome: AfterApproval = {
          approved,
          by: approval?.decidedBy ?? null,
          tool: approval?.tool ?? "",
          target: approval?.target ?? null,
          ...(approved || approval?.status === "denied" ? {} : { lapsed: approval?.status ?? "missing" }),
        };
        begin({ step: "afterApproval", incident: incident.id, outcome }, () =>
          loop.afterApproval(incident, outcome),
        );
      }
      return stuck.length + moved;
    },

    /**
     * Runs one dispatched step (a job handler calls it). A retried job (its worker died mid-step)
     * resumes the incident from what was written, so an action is verified, never repeated blindly.
     */
    async perform(task: RemediationTask, attempt = 1): Promise<void> {
      const incident = await store.get(task.incident);
      if (!incident || incident.closedAt) return;
      try {
        if (task.step === "afterApproval" && incident.status === "awaiting_approval")
          await loop.afterApproval(incident, task.outcome);
        else if (task.step === "investigate" && attempt === 1) await loop.investigate(incident);
        else await loop.resume(incident);
      } catch (error) {
        await failed(task.incident, error);
      }
    },

    /** Resolves once every loop running now has stopped or paused. */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },

    /** Abandons running loops without writing anything more (as a crash would). */
    async stop(): Promise<void> {
      controller.abort(new JarvisError("aborted", "Jarvis is shutting down"));
      await Promise.allSettled([...running]);
    },
  };

  async function mustGet(id: string): Promise<IncidentRow> {
    const incident = await store.get(id);
    if (!incident) throw new JarvisError("not_found", `No incident ${id}`);
    return incident;
  }
}
export type Incidents = ReturnType<typeof createIncidents>;
