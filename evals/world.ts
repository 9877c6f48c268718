import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Inventory } from "../src/agent/intents/inventory.ts";
import { type ErrorCode, httpStatus, JarvisError } from "../src/errors.ts";
import { backupTools } from "../src/tools/backups/index.ts";
import type { Tool } from "../src/tools/define-tool.ts";
import { dockerTools } from "../src/tools/docker/index.ts";
import { googleTools } from "../src/tools/google/index.ts";
import { incidentTools } from "../src/tools/incidents/index.ts";
import { nasTools } from "../src/tools/nas/tools.ts";
import { storageTools } from "../src/tools/storage/index.ts";
import { displayPath } from "./cases.ts";
import { createEvalToolset, standInTools } from "./catalog/index.ts";
import { matchesSubset } from "./match.ts";
import { expandTemplate } from "./template.ts";

/** Where `world: <name>` is looked up unless told otherwise. */
export const defaultWorldsDir = fileURLToPath(new URL("./worlds", import.meta.url));

const names = z.array(z.string().min(1)).default([]);

/** The world's inventory: what the local engine resolves names against (the Inventory interface). */
export const WorldInventory = z.strictObject({
  hosts: names,
  containers: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        host: z.string().min(1),
        stack: z.string().optional(),
        state: z.string().optional(),
        health: z.string().optional(),
      }),
    )
    .default([]),
  stacks: names,
  entities: z
    .array(
      z.strictObject({
        entity_id: z.string().min(1),
        name: z.string().optional(),
        area: z.string().optional(),
      }),
    )
    .default([]),
  areas: names,
  plexLibraries: names,
  backupJobs: names,
  databases: names,
  sunshineHosts: names,
  sunshineApps: names,
  sunshineClients: names,
  nasDevices: names,
  nasShares: names,
  domains: names,
  deployTemplates: names,
  deployApps: names,
});

const errorCodes = Object.keys(httpStatus) as [ErrorCode, ...ErrorCode[]];

/** One canned answer: used when `when` is a subset of the call's arguments (first match wins). */
export const WorldResponse = z
  .strictObject({
    when: z.record(z.string(), z.unknown()).optional(),
    result: z.unknown().optional(),
    error: z.strictObject({ code: z.enum(errorCodes), message: z.string().min(1) }).optional(),
  })
  .refine((r) => (r.result === undefined) !== (r.error === undefined), {
    message: "a response has exactly one of result or error",
  });
export type WorldResponse = z.infer<typeof WorldResponse>;

/** A world file: inventory plus canned responses per tool (a list, or one response). */
export const WorldFile = z.strictObject({
  description: z.string().optional(),
  /** Ignored by the loader: a place to define YAML anchors (`&plex`) that responses reuse (`*plex`). */
  anchors: z.unknown().optional(),
  inventory: WorldInventory.prefault({}),
  tools: z.record(z.string(), z.union([z.array(WorldResponse), WorldResponse])).default({}),
});

/** A loaded world: its inventory and its canned responses per tool, in match order. */
export interface World {
  name: string;
  file: string;
  description?: string;
  inventory: Inventory;
  tools: Record<string, WorldResponse[]>;
}

/** One call a world tool executed, with how the world answered it. */
export interface WorldCall {
  tool: string;
  args: Record<string, unknown>;
  outcome: "result" | "error" | "missing";
}

const catalogNames = new Set(
  [
    ...dockerTools,
    ...incidentTools,
    ...storageTools,
    ...backupTools,
    ...nasTools,
    ...googleTools,
    ...standInTools,
  ].map((tool) => tool.name),
);

/** Parses and validates a world; errors name the file and the field. */
export function parseWorld(name: string, file: string, text: string): World {
  const where = displayPath(file);
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 10_000 });
  } catch (error) {
    throw new Error(`${where}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const parsed = WorldFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `- ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
    );
    throw new Error(`${where}: invalid world:\n${lines.join("\n")}`);
  }
  const unknown = Object.keys(parsed.data.tools).filter((tool) => !catalogNames.has(tool));
  if (unknown.length > 0) throw new Error(`${where}: tools.${unknown[0]}: not a catalog tool`);
  const tools = Object.fromEntries(
    Object.entries(parsed.data.tools).map(([tool, value]) => [tool, Array.isArray(value) ? value : [value]]),
  );
  return { name, file, description: parsed.data.description, inventory: parsed.data.inventory, tools };
}

/** Loads `<dir>/<name>.yaml` from the first of `dirs` that has it. */
export function loadWorld(name: string, dirs: string | readonly string[] = defaultWorldsDir): World {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new Error(`Invalid world name "${name}"`);
  const searched = typeof dirs === "string" ? [dirs] : dirs;
  for (const dir of searched) {
    const file = join(dir, `${name}.yaml`);
    if (existsSync(file)) return parseWorld(name, file, readFileSync(file, "utf8"));
  }
  throw new Error(`No world "${name}" (looked for ${name}.yaml in ${searched.join(", ")})`);
}

/** The world's inventory, as the local intent engine's InventorySource returns it (a copy). */
export function worldInventory(world: World): Inventory {
  return structuredClone(world.inventory);
}

/**
 * The eval toolset answered by a world (or by whichever world `current` returns, so one Jarvis can
 * run cases of several worlds). Every executed call is appended to `calls`. A write or destructive
 * call without a canned response answers `{ok: true}`; a read without one is an error that names
 * the tool and arguments, so a gap in the world is visible rather than papered over.
 */
export function createWorldTools(current: World | (() => World)): { tools: Tool[]; calls: WorldCall[] } {
  const worldOf = typeof current === "function" ? current : () => current;
  const calls: WorldCall[] = [];
  const tools = createEvalToolset({
    async answer(tool, args, risk) {
      const world = worldOf();
      const response = (world.tools[tool] ?? []).find((r) => !r.when || matchesSubset(r.when, args));
      if (response?.error) {
        calls.push({ tool, args, outcome: "error" });
        const message = String(expandTemplate(response.error.message, args));
        throw new JarvisError(response.error.code, message);
      }
      if (response) {
        calls.push({ tool, args, outcome: "result" });
        return expandTemplate(response.result, args);
      }
      if (risk !== "read") {
        calls.push({ tool, args, outcome: "result" });
        return { ok: true };
      }
      calls.push({ tool, args, outcome: "missing" });
      throw new JarvisError(
        "unavailable",
        `The eval world "${world.name}" has no canned answer for ${tool} ${JSON.stringify(args)}`,
      );
    },
    inventory: () => worldOf().inventory,
    hostOf(container) {
      const lower = container.toLowerCase();
      return worldOf().inventory.containers.find((c) => c.name.toLowerCase() === lower)?.host;
    },
  });
  return { tools, calls };
}
