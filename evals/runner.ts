import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { UIMessageChunk } from "ai";
import type { InventorySource } from "../src/agent/intents/inventory.ts";
import { Config, loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { JarvisError } from "../src/errors.ts";
import { createJarvis, type Jarvis, type JarvisOptions } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { CaseFileError, displayPath, type EvalCase } from "./cases.ts";
import { judgeTurn, type SeenCall, type TurnObservation } from "./judge.ts";
import {
  createWorldTools,
  defaultWorldsDir,
  loadWorld,
  type World,
  type WorldCall,
  worldInventory,
} from "./world.ts";

/** What to run and against which model. */
export interface RunnerOptions {
  cases: readonly EvalCase[];
  /** A JARVIS_MODEL value (local, openai:…, openai-compatible:…); default: the configured model. */
  model?: string;
  /** How many times each case runs (for pass^k). */
  repeat?: number;
  /** Where worlds are looked up, in order; evals/worlds always comes last. */
  worldDirs?: readonly string[];
  /** Environment for loadConfig (API keys, base URLs); default process.env. */
  env?: Record<string, string | undefined>;
  /** fetch for the model provider. */
  fetch?: typeof fetch;
  /** Called after each case run (progress output). */
  onResult?: (result: CaseResult) => void;
}

/** One judged turn: what was observed, how long it took, why it failed (empty: passed). */
export interface TurnResult extends TurnObservation {
  user: string;
  ms: number;
  reasons: string[];
}

/** One run of one case. */
export interface CaseResult {
  id: string;
  tags: string[];
  /** 1-based repeat number. */
  repeat: number;
  passed: boolean;
  failures: Array<{ turn: number; reason: string }>;
  turns: TurnResult[];
  /** Read calls the world had no canned answer for. */
  worldGaps: WorldCall[];
}

/** Every case run of one eval run, in order (repeat 1 first). */
export interface RunResults {
  model: string;
  repeat: number;
  cases: readonly EvalCase[];
  results: CaseResult[];
}

const principal = { id: "eval", name: "eval", role: "admin" } as const;

/** Loads every world the cases name; a missing or broken world is the case file's error. */
export function loadWorlds(cases: readonly EvalCase[], dirs: readonly string[] = []): Map<string, World> {
  const worlds = new Map<string, World>();
  for (const item of cases) {
    if (worlds.has(item.world)) continue;
    try {
      worlds.set(item.world, loadWorld(item.world, [...dirs, defaultWorldsDir]));
    } catch (error) {
      throw new CaseFileError(
        item.file,
        `${displayPath(item.file)}: case "${item.id}": world: ${(error as Error).message}`,
      );
    }
  }
  return worlds;
}

/** The configuration evals run with: the environment's, with the chosen model, in memory, default policy. */
export function evalConfig(env: Record<string, string | undefined>, model?: string): Config {
  const base = loadConfig(env);
  const chosen = model ?? base.model;
  const check = Config.shape.model.safeParse(chosen);
  if (!check.success) {
    throw new JarvisError(
      "invalid_config",
      `--model ${chosen}: ${check.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  return { ...base, model: chosen, dataDir: "memory://", policy: { rules: [] } };
}

/** Reads a run's stream to the end, collecting what the judge looks at. */
async function observe(stream: ReadableStream<UIMessageChunk>): Promise<Omit<TurnObservation, "executed">> {
  const seen = { calls: [] as SeenCall[], approvalAsked: false, reply: "", errors: [] as string[] };
  const reader = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    if (chunk.type === "tool-input-available" || chunk.type === "tool-input-error") {
      seen.calls.push({ tool: chunk.toolName, args: chunk.input });
    } else if (chunk.type === "tool-approval-request") {
      // Automatic requests are the SDK recording a gate decision (a denial), not a question.
      if (chunk.isAutomatic !== true) {
        seen.approvalAsked = true;
        // The approval prompt is part of what the user is shown this turn.
        if (chunk.reason) seen.reply += `${seen.reply ? "\n" : ""}${chunk.reason}`;
      }
    } else if (chunk.type === "text-start" && seen.reply) {
      seen.reply += "\n";
    } else if (chunk.type === "text-delta") {
      seen.reply += chunk.delta;
    } else if (chunk.type === "error") {
      seen.errors.push(chunk.errorText);
    }
  }
  return seen;
}

async function runCase(
  jarvis: Jarvis,
  item: EvalCase,
  repeat: number,
  calls: WorldCall[],
): Promise<CaseResult> {
  const conversationId = randomUUID();
  const caseStart = calls.length;
  const turns: TurnResult[] = [];
  for (const turn of item.turns) {
    const mark = calls.length;
    const started = performance.now();
    let observed: Omit<TurnObservation, "executed">;
    try {
      const { stream } = await jarvis.agent.send({
        conversationId,
        text: turn.user,
        principal,
        source: "chat",
      });
      observed = await observe(stream);
      await jarvis.agent.idle();
    } catch (error) {
      observed = { calls: [], approvalAsked: false, reply: "", errors: [(error as Error).message] };
    }
    const ms = performance.now() - started;
    const executed = calls.slice(mark).map(({ tool, args }) => ({ tool, args }));
    const seen = { ...observed, executed };
    turns.push({ user: turn.user, ms, ...seen, reasons: judgeTurn(turn.expect, seen) });
    // A run that failed outright (model unreachable, timeout) leaves nothing for later turns to test.
    if (seen.errors.length > 0) break;
  }
  const failures = turns.flatMap((turn, i) =>
    turn.reasons.length > 0 ? [{ turn: i + 1, reason: turn.reasons.join("; ") }] : [],
  );
  return {
    id: item.id,
    tags: item.tags,
    repeat,
    passed: failures.length === 0,
    failures,
    turns,
    worldGaps: calls.slice(caseStart).filter((call) => call.outcome === "missing"),
  };
}

/**
 * Runs every case (k times) through one in-memory Jarvis: the real agent loop, gate and default
 * policy, with the eval toolset answered by each case's world. Cases run one after another, each in
 * a new conversation; opening PGlite takes seconds, so the database is shared by the whole run.
 */
export async function runEvals(options: RunnerOptions): Promise<RunResults> {
  const worlds = loadWorlds(options.cases, options.worldDirs);
  const config = evalConfig(options.env ?? process.env, options.model);
  const repeat = Math.max(1, options.repeat ?? 1);
  const results: CaseResult[] = [];
  if (options.cases.length === 0) return { model: config.model, repeat, cases: options.cases, results };

  let current = worlds.values().next().value as World;
  const { tools, calls } = createWorldTools(() => current);
  const inventory: InventorySource = async () => worldInventory(current);
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvisOptions: JarvisOptions = {
    log: silentLogger,
    database,
    tools,
    fetch: options.fetch,
    inventory,
  };
  try {
    const jarvis = await createJarvis(config, jarvisOptions);
    for (let r = 1; r <= repeat; r++) {
      for (const item of options.cases) {
        current = worlds.get(item.world)!;
        const result = await runCase(jarvis, item, r, calls);
        results.push(result);
        options.onResult?.(result);
      }
    }
    await jarvis.agent.idle();
  } finally {
    await database.close();
  }
  return { model: config.model, repeat, cases: options.cases, results };
}
