import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { createApp } from "../../src/server/app.ts";
import { homelabHomeAssistant } from "../sim/homeassistant/homelab.ts";
import { startHomeAssistantSim } from "../sim/homeassistant/server.ts";
import { percentile, round } from "./stats.ts";

/**
 * Voice round trip on the local path (issue 9's Measure): an OpenAI-compatible request in over
 * HTTP → the local intent engine → the gate → a spoken answer out, minus the tool's own time as
 * audited. Commands: a state read ("what's the temperature outside", ha_get_state against the Home
 * Assistant simulator) and a write that asks to confirm ("turn off the kitchen lights"). Baseline,
 * same run and server: an authenticated GET /v1/models (HTTP, auth, JSON, no agent).
 */
export async function benchVoice(options: { calls: number }) {
  const haToken = "bench-ha-token";
  const sim = await startHomeAssistantSim(homelabHomeAssistant(haToken));
  const config = {
    ...loadConfig({ ...process.env, JARVIS_MODEL: "local", HA_URL: sim.url, HA_TOKEN: haToken }),
    dataDir: "memory://",
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  await jarvis.clients.homeassistant!.ready();
  const token = (await jarvis.tokens.create({ name: "bench", role: "operator" })).token;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  async function ask(text: string, tool: string | undefined): Promise<{ ms: number; answer: string }> {
    const started = performance.now();
    const response = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: "jarvis", messages: [{ role: "user", content: text }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    const wall = performance.now() - started;
    const toolMs = tool ? ((await jarvis.audit.list({ tool, limit: 1 }))[0]?.durationMs ?? 0) : 0;
    return { ms: wall - toolMs, answer: body.choices[0]!.message.content };
  }
  async function baseline(): Promise<number> {
    const started = performance.now();
    await (await fetch(`${base}/v1/models`, { headers })).json();
    return performance.now() - started;
  }

  const n = Math.max(200, options.calls);
  for (let i = 0; i < 20; i++) {
    await ask("what's the temperature outside", "ha_get_state");
    await baseline();
  }
  const read: number[] = [];
  const confirm: number[] = [];
  const base_: number[] = [];
  let readAnswer = "";
  let confirmAnswer = "";
  for (let i = 0; i < n; i++) {
    const r = await ask("what's the temperature outside", "ha_get_state");
    read.push(r.ms);
    readAnswer = r.answer;
    const c = await ask("turn off the kitchen lights", undefined);
    confirm.push(c.ms);
    confirmAnswer = c.answer;
    base_.push(await baseline());
  }
  await new Promise((resolve) => server.close(resolve));
  await jarvis.close();
  await database.close();
  await sim.stop();
  const all = [...read, ...confirm];
  const p50 = percentile(all, 50);
  const baseP50 = percentile(base_, 50);
  return {
    what: "voice round trip, local path: POST /v1/chat/completions → spoken answer, tool time excluded",
    requests: all.length,
    answers: { read: readAnswer, confirm: confirmAnswer },
    read_ms: { p50: round(percentile(read, 50)), p95: round(percentile(read, 95)) },
    confirm_prompt_ms: { p50: round(percentile(confirm, 50)), p95: round(percentile(confirm, 95)) },
    all_ms: { p50: round(p50), p95: round(percentile(all, 95)) },
    baseline: "authenticated GET /v1/models on the same server",
    baseline_ms: { p50: round(baseP50), p95: round(percentile(base_, 95)) },
    ratio_p50_vs_baseline: round(p50 / baseP50, 2),
    target: "p50 under 30 ms",
    target_met: p50 < 30,
  };
}
