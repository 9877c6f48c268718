import type { Logger } from "../../log.ts";
import type { DomainCheck } from "../../tools/network/check.ts";
import type { NetworkClient } from "../../tools/network/client.ts";
import type { DnsRecords } from "../../tools/network/store.ts";
import type { Alert } from "../alert.ts";

export interface ExpiryThresholds {
  warningDays: number;
  criticalDays: number;
}

const records = (check: DomainCheck): DnsRecords => ({
  A: [...check.dns.A].sort(),
  AAAA: [...check.dns.AAAA].sort(),
  CNAME: [...check.dns.CNAME].sort(),
});
const same = (a: DnsRecords, b: DnsRecords) => JSON.stringify(a) === JSON.stringify(b);
const show = (r: DnsRecords) =>
  [...r.CNAME.map((c) => `CNAME ${c}`), ...r.A, ...r.AAAA].join(", ") || "no records";

function alert(
  check: DomainCheck,
  alertname: string,
  status: Alert["status"],
  severity: string,
  annotations: Record<string, string>,
): Alert {
  const at = new Date(check.checkedAt);
  return {
    source: "domains",
    fingerprint: `domain:${check.domain}:${alertname}`,
    status,
    labels: { alertname, domain: check.domain, severity },
    annotations,
    startsAt: at,
    ...(status === "resolved" ? { endsAt: at } : {}),
  };
}

/**
 * The alerts one check means, against the DNS answer seen last: the certificate expiring (warning,
 * or critical near the end; resolved once renewed), the site down (resolved when it answers), and
 * the DNS answer changed (firing once per change). Returns the DNS answer to remember, if any.
 */
export function domainAlerts(
  check: DomainCheck,
  baseline: DnsRecords | null,
  thresholds: ExpiryThresholds,
): { alerts: Alert[]; dns: DnsRecords | null } {
  const alerts: Alert[] = [];
  const tls = check.tls;
  if (tls) {
    const days = tls.daysToExpiry;
    const firing = days <= thresholds.warningDays;
    const when =
      days < 0
        ? `expired on ${tls.expires.slice(0, 10)}`
        : `expires in ${days} day${days === 1 ? "" : "s"} (${tls.expires.slice(0, 10)})`;
    alerts.push(
      alert(
        check,
        "CertificateExpiring",
        firing ? "firing" : "resolved",
        days <= thresholds.criticalDays ? "critical" : "warning",
        {
          summary: `The certificate of ${check.domain} ${when}`,
          daysToExpiry: String(days),
          issuer: tls.issuer ?? "",
        },
      ),
    );
  }
  alerts.push(
    alert(check, "SiteDown", check.up ? "resolved" : "firing", "critical", {
      summary: check.up
        ? `${check.domain} answers HTTP ${check.http.status} again`
        : `${check.domain} is down: ${check.problems[0] ?? check.http.error ?? "no answer"}`,
    }),
  );
  // A lookup that failed says nothing about the records: keep the last answer.
  if (check.dns.error) return { alerts, dns: null };
  const now = records(check);
  if (baseline && !same(baseline, now)) {
    alerts.push(
      alert(check, "DnsChanged", "firing", "warning", {
        summary: `${check.domain} now resolves to ${show(now)} (was ${show(baseline)})`,
        previous: show(baseline),
        current: show(now),
      }),
    );
  }
  return { alerts, dns: baseline && same(baseline, now) ? null : now };
}

/**
 * Checks the watched domains on an interval and hands what changed to the incident flow: an alert
 * is sent when its state changes (and a firing one once at start), not on every tick.
 */
export function startDomainMonitor(deps: DomainMonitorDeps & { intervalMs: number }): {
  check(): Promise<void>;
  stop(): void;
} {
  const monitor = createDomainMonitor(deps);
  const timer = setInterval(() => void monitor.check(), deps.intervalMs);
  timer.unref();
  void monitor.check();
  return {
    check: monitor.check,
    stop: () => {
      clearInterval(timer);
      monitor.stop();
    },
  };
}

export interface DomainMonitorDeps {
  network: NetworkClient;
  thresholds: ExpiryThresholds;
  ingest: (alerts: Alert[]) => Promise<unknown>;
  log: Logger;
}

/** One check of every watched domain per `check()`, with no timer of its own (a schedule drives it). */
export function createDomainMonitor(deps: DomainMonitorDeps): { check(): Promise<void>; stop(): void } {
  const last = new Map<string, string>();
  const controller = new AbortController();

  async function checkOne(target: NetworkClient["domains"][number]): Promise<void> {
    const check = await deps.network.check(target, controller.signal);
    const store = deps.network.store;
    await store?.record(check);
    const baseline = (await store?.baseline(check.domain)) ?? null;
    const { alerts, dns } = domainAlerts(check, baseline, deps.thresholds);
    if (dns) await store?.setBaseline(check.domain, dns);
    const changed = alerts.filter((a) => {
      const state =
        a.labels.alertname === "DnsChanged"
          ? `firing:${a.annotations.current}`
          : `${a.status}:${a.labels.severity}`;
      const before = last.get(a.fingerprint);
      last.set(a.fingerprint, state);
      return before !== state && !(before === undefined && a.status === "resolved");
    });
    if (changed.length) await deps.ingest(changed);
  }

  async function check(): Promise<void> {
    await Promise.all(
      deps.network.domains.map((target) =>
        checkOne(target).catch((error) => {
          if (!controller.signal.aborted)
            deps.log.warn("domain monitor: check failed", { domain: target.domain, error });
        }),
      ),
    );
  }
  return { check, stop: () => controller.abort() };
}
