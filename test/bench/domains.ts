import { Resolver } from "node:dns/promises";
import { writeFile } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates, type TLSSocket } from "node:tls";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestPki } from "../helpers/certs.ts";
import { startHttpsSites } from "../helpers/https-sites.ts";
import { startDnsSim } from "../sim/dns/server.ts";
import { percentile, round, time } from "./stats.ts";

/**
 * net_check_domain through the gate (validate, policy, audit, DNS A/AAAA/CNAME, HTTPS GET, certificate
 * facts, the result stored) against the least raw code that learns the same facts: three c-ares
 * queries and one https.request reading the peer certificate. Both talk to the same local HTTPS
 * server (openssl-made certificates) and DNS simulator, interleaved in the same run.
 */
export async function benchDomains(options: { calls: number }) {
  const pki = await createTestPki();
  const pem = await pki.leaf(["bench.test"], 30);
  const sites = await startHttpsSites({ "bench.test": { pem } });
  const dns = await startDnsSim({ "bench.test": { A: ["127.0.0.1"] } });
  const caFile = join(tmpdir(), `jarvis-bench-ca-${process.pid}.pem`);
  await writeFile(caFile, pki.ca);
  const base = loadConfig({ JARVIS_DATA_DIR: "memory://" }, "/");
  const config = {
    ...base,
    dataDir: "memory://",
    domains: { ...base.domains, dnsServers: [dns.server], caFile, watch: [] },
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  const principal = { id: "bench", name: "bench", role: "admin" } as const;
  const viaGate = async () => {
    const result = await jarvis.runTool(
      { tool: "net_check_domain", args: { domain: "bench.test", port: sites.port } },
      { source: "api", principal },
    );
    if (result.status !== "ok" || !(result.result as { up: boolean }).up) throw new Error("the check failed");
  };

  const resolver = new Resolver();
  resolver.setServers([dns.server]);
  const ca = [...rootCertificates, pki.ca];
  const quiet = <T>(p: Promise<T>) => p.catch(() => []);
  const direct = async () => {
    const [a] = await Promise.all([
      resolver.resolve4("bench.test"),
      quiet(resolver.resolve6("bench.test")),
      quiet(resolver.resolveCname("bench.test")),
    ]);
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: a[0],
          port: sites.port,
          servername: "bench.test",
          headers: { host: "bench.test" },
          ca,
          agent: false,
        },
        (res) => {
          const cert = (res.socket as TLSSocket).getPeerCertificate();
          if (!cert.valid_to || res.statusCode !== 200) reject(new Error("bad answer"));
          res.resume();
          res.on("end", () => resolve());
        },
      );
      req.on("error", reject);
      req.end();
    });
  };

  try {
    for (let i = 0; i < 20; i++) {
      await viaGate();
      await direct();
    }
    const gate: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < options.calls; i++) {
      baseline.push(await time(direct));
      gate.push(await time(viaGate));
    }
    const median = (xs: number[]) => percentile(xs, 50);
    return {
      what: "net_check_domain through runTool vs raw c-ares A/AAAA/CNAME + https.request reading the certificate (same local DNS and HTTPS servers, interleaved)",
      calls: options.calls,
      database: "pglite (in memory)",
      check_ms: { p50: round(median(gate)), p95: round(percentile(gate, 95)) },
      raw_ms: { p50: round(median(baseline)), p95: round(percentile(baseline, 95)) },
      overhead_ms_p50: round(median(gate) - median(baseline)),
      ratio_p50: round(median(gate) / median(baseline), 2),
    };
  } finally {
    await jarvis.close();
    await database.close();
    await sites.close();
    await dns.close();
    await pki.close();
  }
}
