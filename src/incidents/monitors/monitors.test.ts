import { describe, expect, it } from "vitest";
import { diskAlert } from "./disk.ts";
import { alertFromEvent } from "./docker-events.ts";
import { domainAlerts } from "./domains.ts";
import { dockerSince, nanoFromMs } from "./event-cursor.ts";

describe("monitor alerts", () => {
  it("maps Docker events to alerts, ignoring clean exits and stops by signal", () => {
    const event = (Action: string, attrs: Record<string, string> = {}) => ({
      Type: "container",
      Action,
      Actor: { Attributes: { name: "plex", ...attrs } },
      time: 1_700_000_000,
    });
    expect(alertFromEvent("local", event("health_status: unhealthy"))).toMatchObject({
      status: "firing",
      fingerprint: "docker:local/plex:ContainerUnhealthy",
      labels: { alertname: "ContainerUnhealthy", container: "plex", host: "local" },
    });
    expect(alertFromEvent("local", event("health_status: healthy"))?.status).toBe("resolved");
    expect(alertFromEvent("local", event("oom"))?.labels.alertname).toBe("ContainerOOMKilled");
    expect(alertFromEvent("local", event("die", { exitCode: "1" }))?.labels.alertname).toBe("ContainerDied");
    expect(alertFromEvent("local", event("die", { exitCode: "0" }))).toBeUndefined();
    expect(alertFromEvent("local", event("die", { exitCode: "143" }))).toBeUndefined();
    expect(alertFromEvent("local", event("start"))).toBeUndefined();
  });

  it("writes Docker's since from an event's timeNano, to the nanosecond (beyond a double's precision)", () => {
    expect(dockerSince("1700000000123456789")).toBe("1700000000.123456789");
    expect(dockerSince("1700000000000000007")).toBe("1700000000.000000007");
    expect(nanoFromMs(1_700_000_000_123)).toBe("1700000000123000000");
  });

  it("grades disk usage against warning and critical thresholds", () => {
    const t = { warning: 85, critical: 95 };
    expect(diskAlert("/srv", 50, t).status).toBe("resolved");
    expect(diskAlert("/srv", 90, t)).toMatchObject({ status: "firing", labels: { severity: "warning" } });
    expect(diskAlert("/srv", 96, t)).toMatchObject({
      status: "firing",
      labels: { alertname: "DiskAlmostFull", mountpoint: "/srv", severity: "critical" },
    });
  });

  it("grades certificate expiry, reports a site down and a changed DNS answer once", () => {
    const t = { warningDays: 14, criticalDays: 3 };
    const check = (days: number | null, up = true, A = ["192.0.2.1"]) =>
      ({
        domain: "a.org",
        checkedAt: "2026-11-27T00:00:00.000Z",
        up,
        dns: { A, AAAA: [], CNAME: [], error: null },
        http: { status: up ? 200 : null, error: up ? null : "connection refused" },
        tls:
          days === null ? null : { daysToExpiry: days, expires: "2026-12-01T00:00:00.000Z", issuer: "R11" },
        problems: up ? [] : ["HTTPS: connection refused"],
      }) as never;
    const base = { A: ["192.0.2.1"], AAAA: [], CNAME: [] };
    const byName = (days: number | null, up?: boolean, A?: string[], baseline = base) =>
      Object.fromEntries(
        domainAlerts(check(days, up, A), baseline, t).alerts.map((a) => [a.labels.alertname, a]),
      );
    expect(byName(30).CertificateExpiring).toMatchObject({ status: "resolved" });
    expect(byName(10).CertificateExpiring).toMatchObject({
      status: "firing",
      fingerprint: "domain:a.org:CertificateExpiring",
      labels: { severity: "warning", domain: "a.org" },
    });
    expect(byName(2).CertificateExpiring?.labels.severity).toBe("critical");
    expect(byName(null, false).SiteDown).toMatchObject({
      status: "firing",
      labels: { severity: "critical" },
    });
    expect(byName(null, false).CertificateExpiring).toBeUndefined();
    expect(byName(30).SiteDown?.status).toBe("resolved");
    expect(byName(30).DnsChanged).toBeUndefined();
    expect(byName(30, true, ["192.0.2.9"]).DnsChanged?.annotations).toMatchObject({
      previous: "192.0.2.1",
      current: "192.0.2.9",
    });
    // The first answer seen becomes the baseline, without an alert.
    const first = domainAlerts(check(30), null, t);
    expect(first.dns).toEqual(base);
    expect(first.alerts.some((a) => a.labels.alertname === "DnsChanged")).toBe(false);
  });
});
