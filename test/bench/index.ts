import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { benchAgent } from "./agent.ts";
import { benchDomains } from "./domains.ts";
import { benchEvents } from "./events.ts";
import { benchGate } from "./gate.ts";
import { benchGoogle } from "./google.ts";
import { benchIncidentResolution } from "./incident-resolution.ts";
import { benchIncidents } from "./incidents.ts";
import { benchIntents } from "./intents.ts";
import { benchJobs } from "./jobs.ts";
import { benchMcp } from "./mcp.ts";
import { benchMedia } from "./media.ts";
import { benchMemory } from "./memory.ts";
import { benchStorage } from "./storage.ts";
import { benchUi } from "./ui.ts";
import { benchVoice } from "./voice.ts";

/**
 * `npm run bench [-- --only gate] [--calls N]`: prints one JSON document. Each section compares
 * Jarvis against a baseline measured in the same run, as a ratio.
 */
const sections: Record<string, (o: { calls: number }) => Promise<unknown>> = {
  gate: benchGate,
  agent: benchAgent,
  intents: benchIntents,
  memory: () => benchMemory({ sizes: memorySizes, drivers: memoryDrivers }),
  mcp: benchMcp,
  ui: benchUi,
  incidents: benchIncidents,
  "incident-resolution": benchIncidentResolution,
  domains: benchDomains,
  media: benchMedia,
  google: benchGoogle,
  storage: benchStorage,
  voice: benchVoice,
  events: benchEvents,
  jobs: benchJobs,
};

/** JARVIS_BENCH_MEMORY_DRIVERS: `pglite`, `node-postgres` or both (default both). */
const memoryDrivers = process.env.JARVIS_BENCH_MEMORY_DRIVERS?.split(",").map((d) => d.trim());

/** JARVIS_BENCH_MEMORY_SIZES: memories per run of the memory section, e.g. `10000,100000`. */
const memorySizes = (process.env.JARVIS_BENCH_MEMORY_SIZES ?? "10000")
  .split(",")
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0);

const { values } = parseArgs({
  options: { only: { type: "string" }, calls: { type: "string", default: "200" } },
});
const calls = Math.max(200, Number(values.calls) || 200);
const chosen = values.only ? values.only.split(",") : Object.keys(sections);
const results: Record<string, unknown> = {};
for (const name of chosen) {
  const section = sections[name];
  if (!section) throw new Error(`Unknown bench section ${name}; known: ${Object.keys(sections).join(", ")}`);
  try {
    results[name] = await section({ calls });
  } catch (error) {
    results[name] = { error: (error as Error).message };
    process.exitCode = 1;
  }
}
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      ...results,
    },
    null,
    2,
  ),
);
