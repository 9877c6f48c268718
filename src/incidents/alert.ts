import { createHash } from "node:crypto";
import { z } from "zod";

/** One alert, whatever sent it: the shape every source is normalised to. */
export interface Alert {
  /** alertmanager | webhook | docker | filesystem */
  source: string;
  fingerprint: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt?: Date;
}

export const Severity = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof Severity>;

const labelMap = z.record(z.string().max(200), z.string().max(4000));

/** A fingerprint for alerts that bring none: a hash of the sorted labels (as Alertmanager does). */
export function fingerprintOf(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join("\n");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const AlertmanagerPayload = z.object({
  version: z.literal("4", { error: 'version must be "4" (Alertmanager webhook payload version 4)' }),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(["firing", "resolved"]),
        labels: labelMap,
        annotations: labelMap.default({}),
        startsAt: z.string().optional(),
        endsAt: z.string().optional(),
        generatorURL: z.string().optional(),
        fingerprint: z.string().min(1).max(200).optional(),
      }),
    )
    .min(1, "alerts must hold at least one alert")
    .max(1000),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

/** Alertmanager's zero time (`0001-01-01T00:00:00Z`) means "no end yet". */
function time(value: string | undefined): Date | undefined {
  if (!value || value.startsWith("0001-")) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function fromAlertmanager(payload: AlertmanagerPayload): Alert[] {
  return payload.alerts.map((a) => ({
    source: "alertmanager",
    fingerprint: a.fingerprint ?? fingerprintOf(a.labels),
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: time(a.startsAt) ?? new Date(),
    endsAt: time(a.endsAt),
  }));
}

/** The generic JSON webhook: a title and a severity, labels and a fingerprint optional. */
export const WebhookAlert = z.strictObject({
  title: z.string().min(1).max(500),
  severity: Severity.default("warning"),
  status: z.enum(["firing", "resolved"]).default("firing"),
  labels: labelMap.default({}),
  description: z.string().max(4000).optional(),
  fingerprint: z.string().min(1).max(200).optional(),
});
export type WebhookAlert = z.infer<typeof WebhookAlert>;

export function fromWebhook(body: WebhookAlert): Alert {
  const labels = { alertname: body.title, severity: body.severity, ...body.labels };
  return {
    source: "webhook",
    fingerprint: body.fingerprint ?? fingerprintOf(labels),
    status: body.status,
    labels,
    annotations: { summary: body.title, ...(body.description ? { description: body.description } : {}) },
    startsAt: new Date(),
  };
}

/** A title for an incident from its alert: the summary annotation, else alertname and target. */
export function titleOf(alert: Alert): string {
  const name = alert.labels.alertname ?? "Alert";
  const what = alert.labels.container ?? alert.labels.mountpoint ?? alert.labels.instance ?? alert.labels.job;
  return alert.annotations.summary ?? (what ? `${name}: ${what}` : name);
}

export function severityOf(alert: Alert): Severity {
  const parsed = Severity.safeParse(alert.labels.severity);
  return parsed.success ? parsed.data : "warning";
}
