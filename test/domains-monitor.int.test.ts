import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDomainMonitor } from "../src/incidents/monitors/domains.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createTestPki, type TestPki } from "./helpers/certs.ts";
import { startHttpsSites } from "./helpers/https-sites.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { eventually } from "./helpers/unhealthy-container.ts";
import { type DnsSim, startDnsSim } from "./sim/dns/server.ts";

/**
 * The domain monitor through the real incident flow (ingest → runbook → read-only evidence through
 * the gate → escalation), against a local HTTPS server with openssl-made certificates and the DNS
 * simulator; the DNS baseline lives in the real database.
 */
describe("domain monitor", { timeout: 180_000 }, () => {
  let pki: TestPki;
  let dns: DnsSim;
  let sites: Awaited<ReturnType<typeof startHttpsSites>>;
  let jarvis: Jarvis;
  let monitor: ReturnType<typeof startDomainMonitor>;

  const incidentFor = (domain: string, alertname: string) =>
    eventually(`the ${alertname} incident of ${domain}`, async () => {
      const incident = await jarvis.incidents.store.openFor(`domain:${domain}:${alertname}`);
      return incident?.status === "escalated" && incident;
    });

  beforeAll(async () => {
    pki = await createTestPki();
    sites = await startHttpsSites({
      "good.test": { pem: await pki.leaf(["good.test"], 90) },
      "warn.test": { pem: await pki.leaf(["warn.test"], 10) },
      "soon.test": { pem: await pki.leaf(["soon.test"], 2) },
    });
    dns = await startDnsSim({
      "good.test": { A: ["127.0.0.1"] },
      "warn.test": { A: ["127.0.0.1"] },
      "soon.test": { A: ["127.0.0.1"] },
      "down.test": { A: ["127.0.0.1"] },
    });
    const caFile = join(tmpdir(), `jarvis-monitor-ca-${process.pid}.pem`);
    await writeFile(caFile, pki.ca);
    const base = testConfig();
    jarvis = await createTestJarvis({
      config: {
        ...base,
        domains: {
          ...base.domains,
          dnsServers: [dns.server],
          caFile,
          watch: [
            { domain: "good.test", port: sites.port },
            { domain: "warn.test", port: sites.port },
            { domain: "soon.test", port: sites.port },
            { domain: "down.test", port: await freePort() },
          ],
        },
      },
    });
    monitor = startDomainMonitor({
      network: jarvis.clients.network!,
      thresholds: { warningDays: 14, criticalDays: 3 },
      intervalMs: 3_600_000,
      ingest: jarvis.incidents.ingest,
      log: silentLogger,
    });
  });
  afterAll(async () => {
    monitor?.stop();
    await jarvis?.close();
    await sites?.close();
    await dns?.close();
    await pki?.close();
  });

  it("opens incidents for expiring certificates and a site that is down, with read-only evidence", async () => {
    const soon = await incidentFor("soon.test", "CertificateExpiring");
    expect(soon).toMatchObject({ runbook: "certificate-expiring", severity: "critical", source: "domains" });
    const warn = await incidentFor("warn.test", "CertificateExpiring");
    expect(warn).toMatchObject({ severity: "warning", title: expect.stringContaining("warn.test") });
    const down = await incidentFor("down.test", "SiteDown");
    expect(down).toMatchObject({ runbook: "site-down", severity: "critical" });

    const events = await jarvis.incidents.store.events(soon.id);
    const evidence = events.find(
      (e) => e.kind === "evidence" && (e.data as { tool?: string }).tool === "net_check_domain",
    );
    expect(evidence?.data).toMatchObject({
      args: { domain: "soon.test" },
      result: { tls: { daysToExpiry: 1 } },
    });
    expect(evidence?.auditId).toBeTruthy();
    // Read-only: no approval asked, no action taken.
    expect(events.some((e) => e.kind === "approval" || e.kind === "tool_call")).toBe(false);
    expect(soon.approvalId).toBeNull();

    // The healthy site has no incident, and nothing is reported twice while the state holds.
    expect(await jarvis.incidents.store.openFor("domain:good.test:CertificateExpiring")).toBeUndefined();
    await monitor.check();
    expect((await jarvis.incidents.store.get(soon.id))?.alertCount).toBe(1);
  });

  it("stores the first DNS answer and opens an incident when it changes", async () => {
    const store = jarvis.clients.network!.store!;
    expect(await store.baseline("good.test")).toEqual({ A: ["127.0.0.1"], AAAA: [], CNAME: [] });
    dns.zone.set("good.test", { A: ["127.0.0.1", "127.0.0.7"] });
    await monitor.check();
    const changed = await incidentFor("good.test", "DnsChanged");
    expect(changed).toMatchObject({ runbook: "dns-changed", severity: "warning" });
    const alert = (await jarvis.incidents.store.events(changed.id)).find((e) => e.kind === "alert");
    expect(alert?.data).toMatchObject({
      annotations: { previous: "127.0.0.1", current: "127.0.0.1, 127.0.0.7" },
    });
    expect(await store.baseline("good.test")).toEqual({ A: ["127.0.0.1", "127.0.0.7"], AAAA: [], CNAME: [] });
    // The same answer again is no news.
    await monitor.check();
    expect((await jarvis.incidents.store.get(changed.id))?.alertCount).toBe(1);
  });

  it("reports a renewed certificate as resolved", async () => {
    const incident = await incidentFor("soon.test", "CertificateExpiring");
    sites.sites["soon.test"]!.pem = await pki.leaf(["soon.test"], 90);
    await monitor.check();
    const events = await jarvis.incidents.store.events(incident.id);
    expect(
      events.some((e) => e.kind === "alert" && (e.data as { status?: string }).status === "resolved"),
    ).toBe(true);
  });
});
