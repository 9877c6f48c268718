import type { IncidentEventRow, IncidentRow } from "../../incidents/store.ts";

/** An incident as API callers and the model see it. */
export function viewIncident(row: IncidentRow) {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    severity: row.severity,
    source: row.source,
    fingerprint: row.fingerprint,
    labels: row.labels as Record<string, string>,
    target: row.targetContainer ? `${row.targetHost ?? ""}/${row.targetContainer}`.replace(/^\//, "") : null,
    runbook: row.runbook,
    attempts: row.attempts,
    alertCount: row.alertCount,
    summary: row.summary,
    approvalId: row.approvalId,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    opened: row.openedAt.toISOString(),
    updated: row.updatedAt.toISOString(),
    closed: row.closedAt?.toISOString() ?? null,
  };
}
export type IncidentView = ReturnType<typeof viewIncident>;

export function viewEvent(row: IncidentEventRow) {
  return {
    at: row.at.toISOString(),
    kind: row.kind,
    auditId: row.auditId,
    ...(row.data as Record<string, unknown>),
  };
}
