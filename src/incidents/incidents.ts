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
}

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

  function background(incidentId: string, work: () => Promise<void>): void {
    const task = work()
      .catch(async (error) => {
        if (controller.signal.aborted) return;
        log.error("incident loop failed", { incident: incidentId, error });
        const message = error instanceof Error ? error.message : String(error);
        await store.addEvent(incidentId, "note", { error: message }).catch(() => {});
        await store
          .update(incidentId, { status: "failed", summary: `The remediation loop failed: ${message}` })
          .catch(() => {});
      })
      .finally(() => running.delete(task));
    running.add(task);
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
          background(incident.id, () => loop.investigate(incident));
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
      background(incident.id, () =>
        loop.afterApproval(incident, {
          approved,
          by: approval.decidedBy,
          tool: approval.tool,
          target: approval.target,
          auditId: run?.auditId,
          result: run?.status === "ok" ? run.result : undefined,
          error: error instanceof Error ? error.message : undefined,
        }),
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
      for (const incident of stuck) background(incident.id, () => loop.resume(incident));
      // Approvals decided (or expired) while no process was there to continue the loop.
      const waiting = await store.list({ status: ["awaiting_approval"], open: true, limit: 1000 });
      let moved = 0;
      for (const incident of waiting) {
        const row = incident.approvalId ? await deps.approvals.get(incident.approvalId) : undefined;
        const approval = row && viewApproval(row);
        if (approval?.status === "pending") continue;
        moved++;
        const approved = approval?.status === "approved" && approval.usedAt !== null;
        background(incident.id, () =>
          loop.afterApproval(incident, {
            approved,
            by: approval?.decidedBy ?? null,
            tool: approval?.tool ?? "",
            target: approval?.target ?? null,
            ...(approved || approval?.status === "denied" ? {} : { lapsed: approval?.status ?? "missing" }),
          }),
        );
      }
      return stuck.length + moved;
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
