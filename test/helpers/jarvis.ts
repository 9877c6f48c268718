import { inject } from "vitest";
import { type Config, loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import type { EventBus } from "../../src/events/bus.ts";
import { createJarvis, type Jarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import type { Tool } from "../../src/tools/define-tool.ts";

export const adminPrincipal = { id: "test:admin", name: "admin", role: "admin" } as const;
export const operatorPrincipal = { id: "test:operator", name: "operator", role: "operator" } as const;
export const viewerPrincipal = { id: "test:viewer", name: "viewer", role: "viewer" } as const;

/** Config for tests: the test Docker engine as host "local", an in-memory database. */
export function testConfig(
  overrides: Partial<Record<string, unknown>> = {},
  env: Record<string, string> = {},
): Config {
  const socket = inject("dockerSocket");
  const base = loadConfig({ JARVIS_DATA_DIR: "memory://", DOCKER_HOST: `unix://${socket}`, ...env }, "/");
  return { ...base, dataDir: "memory://", ...overrides } as Config;
}

/** A real Jarvis core (real gate, real policy, real PGlite) against the real test engine. */
export async function createTestJarvis(
  options: { config?: Config; tools?: readonly Tool[]; events?: EventBus } = {},
): Promise<Jarvis> {
  const config = options.config ?? testConfig();
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, {
    log: silentLogger,
    database,
    tools: options.tools,
    events: options.events,
  });
  return {
    ...jarvis,
    close: async () => {
      await jarvis.close();
      await database.close();
    },
  };
}
