import type { Inventory } from "../../src/agent/intents/inventory.ts";
import { backupTools as realBackupTools } from "../../src/tools/backups/index.ts";
import { type Risk, riskOf, type Tool } from "../../src/tools/define-tool.ts";
import { deployTools } from "../../src/tools/deploy/index.ts";
import { dockerTools } from "../../src/tools/docker/index.ts";
import { googleTools } from "../../src/tools/google/index.ts";
import { callServiceTarget } from "../../src/tools/homeassistant/targets.ts";
import { incidentTools } from "../../src/tools/incidents/index.ts";
import { memoryTools } from "../../src/tools/memory/index.ts";
import { nasTools } from "../../src/tools/nas/tools.ts";
import { networkTools } from "../../src/tools/network/index.ts";
import { plexTools } from "../../src/tools/plex/index.ts";
import { storageTools } from "../../src/tools/storage/index.ts";
import { sunshineTools } from "../../src/tools/sunshine/index.ts";
import { systemTools } from "../../src/tools/system/index.ts";
import { homeAssistantTools, inventoryEntities } from "./homeassistant.ts";
import { plexStandIns } from "./plex.ts";

/**
 * Catalog tools whose toolsets have not landed, as stand-in definitions (DESIGN.md's tool catalog),
 * and the real definitions of toolsets that have and need no engine to describe (memory, network,
 * deploy, Plex, Sunshine, system, Google).
 */
export const standInTools: readonly Tool[] = [
  ...plexTools,
  ...plexStandIns,
  ...sunshineTools,
  ...homeAssistantTools,
  ...memoryTools,
  ...networkTools,
  ...deployTools,
  ...systemTools,
];

/** What answers the eval toolset's calls: a world (see evals/world.ts). */
export interface WorldAnswers {
  /** The canned result of a validated call; throws the world's error, or when it has no data. */
  answer(tool: string, input: Record<string, unknown>, risk: Risk): Promise<unknown>;
  /** The host a container lives on, for `host/container` targets when the call names no host. */
  hostOf(container: string): string | undefined;
  /** The world's inventory (the Home Assistant entities ha_call_service resolves "all" against). */
  inventory(): Inventory;
}

/** The policy target of a Docker call, as the real tools name it, without asking an engine. */
function dockerTarget(tool: Tool, world: WorldAnswers) {
  if (tool.name === "docker_prune") return (input: { host?: string }) => input.host ?? "local";
  if (!tool.target) return undefined;
  return (input: { container?: string; host?: string }) =>
    input.container === undefined
      ? undefined
      : `${input.host ?? world.hostOf(input.container) ?? "local"}/${input.container}`;
}

/**
 * The full eval toolset: the real Docker tool definitions (names, schemas, descriptions, risks)
 * and the stand-ins, with `run` (and Docker's engine-backed `target`) answered by a world.
 */
export function createEvalToolset(world: WorldAnswers): Tool[] {
  const answered = (tool: Tool): Tool => ({
    ...tool,
    run: (input: Record<string, unknown>) => world.answer(tool.name, input, riskOf(tool, input)),
  });
  return [
    ...dockerTools.map((tool) => ({ ...answered(tool), target: dockerTarget(tool, world) })),
    ...incidentTools.map(answered),
    ...realBackupTools.map(answered),
    ...nasTools.map(answered),
    // Real storage definitions; storage_docker_usage's target names the host without an engine.
    ...storageTools.map((tool) =>
      tool.name === "storage_docker_usage"
        ? { ...answered(tool), target: (input: { host?: string }) => input.host ?? "local" }
        : answered(tool),
    ),
    // Real Google definitions; gmail_send's target is the address as given (no account to ask what "me" is).
    ...googleTools.map((tool) =>
      tool.name === "gmail_send"
        ? { ...answered(tool), target: (input: { to: string }) => input.to }
        : answered(tool),
    ),
    // ha_call_service's target resolves "all" and areas against the world's entities, not a live cache.
    ...standInTools.map((tool) =>
      tool.name === "ha_call_service"
        ? {
            ...answered(tool),
            target: (input: Parameters<typeof callServiceTarget>[0]) =>
              callServiceTarget(
                input,
                inventoryEntities(() => world.inventory()),
              ),
          }
        : answered(tool),
    ),
  ];
}
