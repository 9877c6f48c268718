import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { alerts, incidentEvents, incidents, remediationActions } from "../db/schema.ts";
import type { Alert } from "./alert.ts";

export type IncidentRow = typeof incidents.$inferSelect;
export type IncidentEventRow = typeof incidentEvents.$inferSelect;
export type IncidentStatus =
  | "open"
  | "investigating"
  | "awaiting_approval"
  | "remediating"
  | "verifying"
  | "resolved"
  | "escalated"
  | "failed";
export type EventKind = "alert" | "evidence" | "decision" | "tool_call" | "approval" | "note" | "status";

/** Statuses after which the incident is closed (a new alert with its fingerprint opens a new one). */
export const closedStatuses: readonly IncidentStatus[] = ["resolved", "failed"];

/** What the loop is doing while remediating, so a restarted process can tell whether it happened. */
export interface PendingAction {
  tool: string;
  args: Record<string, unknown>;
  target: string;
  /** ISO time just before the gate was called: any audit row for the call is newer. */
  since: string;
}

/** The incidents tables: alerts, incidents, their timelines and the actions taken (circuit breaker). */
export function createIncidentStore(db: Db) {
  return {
    /** Records one alert delivery: a row per (source, fingerprint), its count going up on repeats. */
    async recordAlert(alert: Alert): Promise<void> {
      await db
        .insert(alerts)
        .values({
          source: alert.source,
          fingerprint: alert.fingerprint,
          status: alert.status,
          labels: alert.labels,
          annotations: alert.annotations,
          startsAt: alert.startsAt,
          endsAt: alert.endsAt,
        })
        .onConflictDoUpdate({
          target: [alerts.source, alerts.fingerprint],
          set: {
            status: alert.status,
            labels: alert.labels,
            annotations: alert.annotations,
            endsAt: alert.endsAt ?? null,
            receivedCount: sql`${alerts.receivedCount} + 1`,
            lastReceivedAt: new Date(),
          },
        });
    },

    /** Whether the latest delivery for this fingerprint said resolved. */
    async alertResolved(fingerprint: string): Promise<boolean> {
      const rows = await db
        .select({ status: alerts.status })
        .from(alerts)
        .where(eq(alerts.fingerprint, fingerprint))
        .orderBy(desc(alerts.lastReceivedAt))
        .limit(1);
      return rows[0]?.status === "resolved";
    },

    /**
     * Opens an incident for a firing alert, or counts the alert on the one already open for its
     * fingerprint. One statement, so concurrent deliveries cannot open two.
     */
    async openOrUpdate(
      alert: Alert,
      extra: { title: string; severity: string; host?: string; container?: string },
    ): Promise<{ incident: IncidentRow; created: boolean }> {
      const [row] = await db
        .insert(incidents)
        .values({
          fingerprint: alert.fingerprint,
          title: extra.title,
          severity: extra.severity,
          source: alert.source,
          labels: alert.labels,
          targetHost: extra.host,
          targetContainer: extra.container,
        })
        .onConflictDoUpdate({
          target: incidents.fingerprint,
          targetWhere: sql`${incidents.closedAt} is null`,
          set: { alertCount: sql`${incidents.alertCount} + 1`, updatedAt: new Date() },
        })
        .returning({ id: incidents.id, created: sql<boolean>`(xmax = 0)` });
      const incident = (await this.get(row!.id))!;
      return { incident, created: Boolean(row!.created) };
    },

    /** The incident not yet closed for a fingerprint. */
    async openFor(fingerprint: string): Promise<IncidentRow | undefined> {
      const [row] = await db
        .select()
        .from(incidents)
        .where(and(eq(incidents.fingerprint, fingerprint), isNull(incidents.closedAt)));
      return row;
    },

    async get(id: string): Promise<IncidentRow | undefined> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const [row] = await db.select().from(incidents).where(eq(incidents.id, id));
      return row;
    },

    async list(
      filter: { status?: IncidentStatus[]; open?: boolean; acknowledged?: boolean; limit?: number } = {},
    ): Promise<IncidentRow[]> {
      const where: SQL[] = [];
      if (filter.status?.length) where.push(inArray(incidents.status, filter.status));
      if (filter.open === true) where.push(isNull(incidents.closedAt));
      if (filter.open === false) where.push(isNotNull(incidents.closedAt));
      if (filter.acknowledged === true) where.push(isNotNull(incidents.acknowledgedAt));
      if (filter.acknowledged === false) where.push(isNull(incidents.acknowledgedAt));
      return db
        .select()
        .from(incidents)
        .where(and(...where))
        .orderBy(desc(incidents.openedAt))
        .limit(Math.min(filter.limit ?? 100, 1000));
    },

    /** Changes an incident; closing statuses set `closed_at`. */
    async update(
      id: string,
      patch: Partial<
        Pick<
          IncidentRow,
          "status" | "runbook" | "attempts" | "summary" | "approvalId" | "pendingAction" | "title"
        >
      > & { acknowledgedBy?: string },
    ): Promise<IncidentRow> {
      const { acknowledgedBy, ...rest } = patch;
      const closing = patch.status && closedStatuses.includes(patch.status as IncidentStatus);
      const [row] = await db
        .update(incidents)
        .set({
          ...rest,
          ...(acknowledgedBy ? { acknowledgedBy, acknowledgedAt: new Date() } : {}),
          updatedAt: new Date(),
          ...(closing ? { closedAt: new Date() } : {}),
        })
        .where(eq(incidents.id, id))
        .returning();
      return row!;
    },

    /** The incident waiting on an approval. */
    async forApproval(approvalId: string): Promise<IncidentRow | undefined> {
      const [row] = await db.select().from(incidents).where(eq(incidents.approvalId, approvalId));
      return row;
    },

    async addEvent(
      incidentId: string,
      kind: EventKind,
      data: Record<string, unknown>,
      auditId?: number,
    ): Promise<void> {
      await db.insert(incidentEvents).values({ incidentId, kind, data, auditId });
    },

    async events(incidentId: string): Promise<IncidentEventRow[]> {
      return db
        .select()
        .from(incidentEvents)
        .where(eq(incidentEvents.incidentId, incidentId))
        .orderBy(asc(incidentEvents.id));
    },

    async recordAction(action: {
      target: string;
      tool: string;
      incidentId: string;
      auditId?: number;
      automatic: boolean;
    }): Promise<void> {
      await db.insert(remediationActions).values(action);
    },

    /** Automatic actions on a target since a time (the circuit breaker's count). */
    async automaticActionsSince(target: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(remediationActions)
        .where(
          and(
            eq(remediationActions.target, target),
            eq(remediationActions.automatic, true),
            gt(remediationActions.at, since),
          ),
        );
      return row?.n ?? 0;
    },

    /** The latest action on a target by another incident (the cooldown between incidents). */
    async lastActionByOther(target: string, incidentId: string): Promise<Date | undefined> {
      const [row] = await db
        .select({ at: remediationActions.at })
        .from(remediationActions)
        .where(
          and(eq(remediationActions.target, target), sql`${remediationActions.incidentId} <> ${incidentId}`),
        )
        .orderBy(desc(remediationActions.at))
        .limit(1);
      return row?.at;
    },
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
