import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import type { DomainCheck } from "../src/tools/network/check.ts";
import { createTestPki, type TestPki } from "./helpers/certs.ts";
import { startHttpsSites } from "./helpers/https-sites.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { type DnsSim, startDnsSim } from "./sim/dns/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

/**
 * net_check_domain and net_list_domains through the real gate and database, against a local HTTPS
 * server with certificates made by openssl in the test and a DNS server speaking RFC 1035 over UDP.
 */
describe("domains and certificates", { timeout: 120_000 }, () => {
  let pki: TestPki;
  let dns: DnsSim;
  let sites: Awaited<ReturnType<typeof startHttpsSites>>;
  let jarvis: Jarvis;
  let downPort: number;

  const check = async (domain: string, extra: Record<string, unknown> = {}) => {
    const result = await jarvis.runTool(
      { tool: "net_check_domain", args: { domain, port: sites.port, ...extra } },
      api,
    );
    if (result.status !== "ok") throw new Error(`expected a result, got ${result.status}`);
    return result.result as DomainCheck;
  };

  beforeAll(async () => {
    pki = await createTestPki();
    const good = await pki.leaf(["good.test", "www.good.test"], 90);
    sites = await startHttpsSites({
      "good.test": { pem: good },
      "www.good.test": { pem: good },
      "soon.test": { pem: await pki.leaf(["soon.test"], 2) },
      "wrong.test": { pem: await pki.leaf(["other.test"], 90) },
      "self.test": { pem: await pki.selfSigned("self.test", 30) },
      "error.test": { pem: await pki.leaf(["error.test"], 90), status: 503 },
      "redirect.test": { pem: await pki.leaf(["redirect.test"], 90), status: 301 },
      "loop.test": { pem: await pki.leaf(["loop.test"], 90), status: 302 },
    });
    sites.sites["redirect.test"]!.location = `https://good.test:${sites.port}/welcome`;
    sites.sites["loop.test"]!.location = `https://loop.test:${sites.port}/again`;
    const local = { A: ["127.0.0.1"] };
    dns = await startDnsSim({
      "good.test": { A: ["127.0.0.1"], AAAA: ["::1"] },
      "www.good.test": { CNAME: "good.test" },
      "soon.test": local,
      "wrong.test": local,
      "self.test": local,
      "error.test": local,
      "redirect.test": local,
      "loop.test": local,
      "down.test": local,
    });
    downPort = await freePort();
    const caFile = join(tmpdir(), `jarvis-test-ca-${process.pid}.pem`);
    await writeFile(caFile, pki.ca);
    const base = testConfig();
    jarvis = await createTestJarvis({
      config: {
        ...base,
        domains: {
          ...base.domains,
          dnsServers: [dns.server],
          caFile,
          maxRedirects: 3,
          timeoutSeconds: 10,
          watch: [
            { domain: "good.test", port: sites.port },
            { domain: "soon.test", port: sites.port, path: "/health" },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    await sites?.close();
    await dns?.close();
    await pki?.close();
  });

  it("reports a healthy site: DNS, HTTPS status and latency, a certificate from the configured CA", async () => {
    const result = await check("good.test");
    expect(result).toMatchObject({
      domain: "good.test",
      up: true,
      dns: { A: ["127.0.0.1"], AAAA: ["::1"], CNAME: [], error: null },
      http: { status: 200, redirects: 0, error: null, url: `https://good.test:${sites.port}/` },
      tls: {
        subject: "good.test",
        names: ["good.test", "www.good.test"],
        issuer: "Jarvis Test CA",
        daysToExpiry: 89,
        chainValid: true,
        hostnameMatch: true,
        selfSigned: false,
        valid: true,
      },
      problems: [],
    });
    expect(result.http.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.tls?.chain).toEqual(["good.test", "Jarvis Test CA"]);
  });

  it("follows a CNAME to its target's addresses", async () => {
    const result = await check("www.good.test");
    expect(result.dns).toMatchObject({ CNAME: ["good.test"], A: ["127.0.0.1"] });
    expect(result).toMatchObject({ up: true, tls: { valid: true }, problems: [] });
  });

  it("says a certificate expires soon", async () => {
    const result = await check("soon.test");
    expect(result.tls).toMatchObject({ daysToExpiry: 1, valid: true });
    expect(result.problems).toEqual(["the certificate expires in 1 day"]);
  });

  it("says a certificate is for another name, and that a self-signed one does not verify", async () => {
    const wrong = await check("wrong.test");
    expect(wrong).toMatchObject({ up: true, tls: { hostnameMatch: false, chainValid: true, valid: false } });
    expect(wrong.problems).toEqual(["the certificate is not valid for wrong.test (it names other.test)"]);
    const self = await check("self.test");
    expect(self.tls).toMatchObject({
      selfSigned: true,
      chainValid: false,
      chainError: "DEPTH_ZERO_SELF_SIGNED_CERT",
      valid: false,
    });
    expect(self.problems).toEqual(["the certificate is self-signed"]);
  });

  it("follows redirects up to the configured limit", async () => {
    const redirected = await check("redirect.test");
    expect(redirected.http).toMatchObject({
      status: 200,
      redirects: 1,
      redirectedTo: [`https://good.test:${sites.port}/welcome`],
      finalUrl: `https://good.test:${sites.port}/welcome`,
    });
    // The certificate reported is the domain's own (the first hop's).
    expect(redirected.tls?.subject).toBe("redirect.test");
    const loop = await check("loop.test");
    expect(loop).toMatchObject({
      up: false,
      http: { status: null, redirects: 3, error: "more than 3 redirects" },
    });
  });

  it("reports a site that is down, a 5xx and a name that does not exist as findings, not errors", async () => {
    const down = await check("down.test", { port: downPort });
    expect(down).toMatchObject({ up: false, tls: null, http: { status: null, error: "connection refused" } });
    expect(down.problems).toEqual(["HTTPS: connection refused"]);
    const failing = await check("error.test");
    expect(failing).toMatchObject({ up: false, http: { status: 503 }, problems: ["HTTPS answers 503"] });
    const missing = await check("missing.test");
    expect(missing.dns).toEqual({
      A: [],
      AAAA: [],
      CNAME: [],
      error: "missing.test does not exist (NXDOMAIN)",
    });
    expect(missing.up).toBe(false);
    expect(missing.problems[0]).toBe("missing.test does not exist (NXDOMAIN)");
  });

  it("refuses a bad domain before anything runs, and audits every check", async () => {
    await expect(
      jarvis.runTool({ tool: "net_check_domain", args: { domain: "not a domain; rm -rf /" } }, api),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const rows = await jarvis.audit.list({ tool: "net_check_domain", limit: 50 });
    expect(rows.some((row) => row.target === "good.test" && row.outcome === "ok")).toBe(true);
  });

  it("lists the watched domains with their last check, checking the ones never checked", async () => {
    const first = await jarvis.runTool({ tool: "net_list_domains", args: {} }, api);
    if (first.status !== "ok") throw new Error(first.status);
    const domains = (first.result as { domains: Array<Record<string, unknown>> }).domains;
    expect(domains.map((d) => d.domain)).toEqual(["good.test", "soon.test"]);
    expect(domains[1]).toMatchObject({ up: true, tls: { daysToExpiry: 1 }, http: { status: 200 } });
    // The watched domain's configured path is used.
    const stored = await jarvis.clients.network!.store!.last(["soon.test"]);
    expect(stored.get("soon.test")?.http.url).toBe(`https://soon.test:${sites.port}/health`);
    const again = await jarvis.runTool({ tool: "net_list_domains", args: {} }, api);
    if (again.status !== "ok") throw new Error(again.status);
    expect((again.result as { domains: unknown[] }).domains).toEqual(domains);
  });
});
