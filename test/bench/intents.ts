import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";
import { parse } from "yaml";
import { loadCases } from "../../evals/cases.ts";
import { summarize } from "../../evals/report.ts";
import { runEvals } from "../../evals/runner.ts";
import { loadWorld, worldInventory } from "../../evals/world.ts";
import { createIntentRecognizer } from "../../src/agent/intents/index.ts";
import { startOpenAISim } from "../sim/openai/server.ts";
import { percentile, round, time } from "./stats.ts";

function utterances(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) {
        for (const c of (parse(readFileSync(path, "utf8")) ?? []) as Array<{
          turns?: Array<{ user?: string }>;
        }>) {
          for (const turn of c.turns ?? []) if (turn.user) out.push(turn.user);
        }
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * The local engine's decision latency (utterance → tool calls or "not understood") over every
 * user turn of the eval suite, resolving names against the eval world's inventory, against the fastest possible LLM decision: a scripted
 * OpenAI-compatible server answering a tool call instantly, through the real client.
 */
export async function benchIntents(options: { calls: number }) {
  const turns = utterances(join(import.meta.dirname, "..", "..", "evals", "cases"));
  const recognize = createIntentRecognizer();
  const ctx = { inventory: worldInventory(loadWorld("homelab")), now: new Date() };
  const plan = (text: string) => {
    const match = recognize(text, ctx);
    return match?.intent.plan(match.slots, ctx);
  };
  for (const t of turns) plan(t);
  const local: number[] = [];
  let understood = 0;
  for (let round = 0; round < 3; round++) {
    for (const t of turns) {
      const start = performance.now();
      if (plan(t)) understood++;
      local.push(performance.now() - start);
    }
  }
  const sim = await startOpenAISim();
  const model = createOpenAICompatible({ name: "sim", baseURL: sim.baseURL })("sim-model");
  const llm: number[] = [];
  for (let i = 0; i < Math.max(100, options.calls / 2); i++) {
    sim.script({ toolCalls: [{ name: "docker_restart_container", arguments: { container: "plex" } }] });
    llm.push(await time(() => generateText({ model, prompt: "restart plex", maxRetries: 0 })));
  }
  await sim.close();
  // The suite's pass rate with the local engine through the real loop, gate and default policy.
  const suite = summarize(
    await runEvals({
      cases: loadCases([join(import.meta.dirname, "..", "..", "evals", "cases")]),
      model: "local",
    }),
  );
  return {
    eval_suite: {
      cases: suite.cases,
      passed: suite.passed,
      pass_rate: suite.pass_rate,
      turn_p50_ms: suite.p50_ms,
      turn_p95_ms: suite.p95_ms,
    },
    what: "local intent engine decision (recognize + plan) per eval-suite utterance vs one instant scripted LLM tool-call decision over HTTP",
    utterances: turns.length,
    understood_share: round(understood / (turns.length * 3), 3),
    local_ms: { p50: round(percentile(local, 50), 4), p95: round(percentile(local, 95), 4) },
    instant_llm_ms: { p50: round(percentile(llm, 50)), p95: round(percentile(llm, 95)) },
    ratio_p50: round(percentile(local, 50) / percentile(llm, 50), 4),
  };
}
