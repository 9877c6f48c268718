import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { startOpenAISim } from "../sim/openai/server.ts";
import { percentile, round } from "./stats.ts";

/**
 * Agent overhead per step: wall time of a run through the real loop (prompt conversion, streaming
 * parse, gate, persistence of messages and runs) minus the time spent inside the scripted model
 * server, which answers instantly; for tool steps, minus the tool's own execution time as audited.
 */
export async function benchAgent(options: { calls: number }) {
  const sim = await startOpenAISim();
  const config = {
    ...loadConfig({ ...process.env, JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model` }),
    dataDir: "memory://",
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  const principal = { id: "bench", name: "bench", role: "admin" } as const;
  const runs = Math.max(100, Math.floor(options.calls / 2));

  async function run(withTool: boolean): Promise<{ overheadMs: number; steps: number }> {
    if (withTool)
      sim.script(
        { toolCalls: [{ name: "docker_list_hosts", arguments: {} }] },
        { text: "Two hosts, both up." },
      );
    else sim.script({ text: "All containers are healthy." });
    const serverBefore = sim.serverTimeMs();
    const started = performance.now();
    const { stream } = await jarvis.agent.send({ text: "status?", principal, source: "api" });
    const reader = stream.getReader();
    while (!(await reader.read()).done) {
      // drain
    }
    const wall = performance.now() - started;
    const inServer = sim.serverTimeMs() - serverBefore;
    const toolMs = withTool
      ? ((await jarvis.audit.list({ tool: "docker_list_hosts", limit: 1 }))[0]?.durationMs ?? 0)
      : 0;
    return { overheadMs: (wall - inServer - toolMs) / (withTool ? 2 : 1), steps: withTool ? 2 : 1 };
  }

  for (let i = 0; i < 10; i++) await run(i % 2 === 0);
  const text: number[] = [];
  const tool: number[] = [];
  for (let i = 0; i < runs; i++) {
    text.push((await run(false)).overheadMs);
    tool.push((await run(true)).overheadMs);
  }
  await jarvis.agent.idle();
  await database.close();
  await sim.close();
  return {
    what: "agent loop overhead per step (wall time minus time inside the scripted model server, minus tool time)",
    runs_each: runs,
    database: "pglite (in memory)",
    text_step_ms: { p50: round(percentile(text, 50)), p95: round(percentile(text, 95)) },
    tool_step_ms: { p50: round(percentile(tool, 50)), p95: round(percentile(tool, 95)) },
  };
}
