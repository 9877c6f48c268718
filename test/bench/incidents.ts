import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { allTools, createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { createApp } from "../../src/server/app.ts";
import { defineTool } from "../../src/tools/define-tool.ts";
import { percentile, round, time } from "./stats.ts";

/**
 * Alert to action: the time from an Alertmanager webhook arriving at the app to the remediation
 * tool's `run` starting (auth, validation, dedupe insert, runbook match, policy, audit row), with
 * the local engine, over many incidents; against a bare authenticated request in the same run.
 */
export async function benchIncidents(options: { calls: number }) {
  const incidents = Math.max(50, Math.round(options.calls / 4));
  const dir = mkdtempSync(join(tmpdir(), "jarvis-bench-runbooks-"));
  writeFileSync(
    join(dir, "bench.md"),
    [
      "---",
      "title: Bench",
      "match: { alertname: BenchAlert }",
      "actions:",
      '  - { tool: bench_restart_thing, args: { thing: "{{labels.thing}}" }, reason: bench }',
      "maxAttempts: 1",
      "cooldownMinutes: 0",
      "---",
      "Bench runbook.",
    ].join("\n"),
  );
  const started = new Map<string, number>();
  const benchTool = defineTool({
    name: "bench_restart_thing",
    title: "Bench action",
    description: "Records when the remediation call starts.",
    input: z.strictObject({ thing: z.string() }),
    risk: "write",
    target: (input) => `bench/${input.thing}`,
    async run(input) {
      started.set(input.thing, performance.now());
      return { ok: true };
    },
  });
  const base = { ...loadConfig(), dataDir: "memory://" };
  const config = {
    ...base,
    incidents: { ...base.incidents, runbooksDir: dir },
    policy: { rules: [{ tool: "bench_*", source: "alert" as const, action: "allow" as const }] },
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database, tools: [...allTools, benchTool] });
  const app = createApp(jarvis);
  const { token } = await jarvis.tokens.create({ name: "bench", role: "viewer", scopes: ["alerts"] });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const whoami = async () => app.request("/api/whoami", { headers });
  const post = (thing: string) =>
    app.request("/api/alerts/alertmanager", {
      method: "POST",
      headers,
      body: JSON.stringify({
        version: "4",
        status: "firing",
        alerts: [{ status: "firing", labels: { alertname: "BenchAlert", thing } }],
      }),
    });
  try {
    for (let i = 0; i < 10; i++) {
      await whoami();
      await post(`warmup-${i}`);
    }
    await jarvis.incidents.idle();
    const latency: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < incidents; i++) {
      baseline.push(await time(whoami));
      const thing = `t${i}`;
      const arrived = performance.now();
      const response = await post(thing);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      await jarvis.incidents.idle();
      const at = started.get(thing);
      if (at === undefined) throw new Error(`the remediation for ${thing} never started`);
      latency.push(at - arrived);
    }
    const median = (xs: number[]) => percentile(xs, 50);
    return {
      what: "Alertmanager webhook arrival → remediation tool run starting (local engine, app.request, no socket) vs an authenticated GET /api/whoami",
      incidents,
      database: "pglite (in memory)",
      alert_to_action_ms: { p50: round(median(latency)), p95: round(percentile(latency, 95)) },
      baseline_request_ms: { p50: round(median(baseline)), p95: round(percentile(baseline, 95)) },
      ratio_p50: round(median(latency) / median(baseline), 2),
    };
  } finally {
    await jarvis.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
