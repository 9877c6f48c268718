import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/database.ts";
import { createJarvis, type Jarvis } from "../src/jarvis.ts";
import { createLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { adminPrincipal, testConfig } from "./helpers/jarvis.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { waitFor } from "./helpers/wait.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";

const token = "ha-scale-token";

/**
 * Two Jarvis processes' cores on one database and one Redis, both connected to Home Assistant with
 * approval notifications on: one notification per approval, and a pressed action decided once.
 */
describe("approval notifications with several processes", { timeout: 120_000 }, () => {
  let sim: HomeAssistantSim;
  let redisServer: RedisServer;
  let database: Database;
  const connections: Redis[] = [];
  const cores: Jarvis[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    redisServer = await startRedis();
    database = await openDatabase({ dataDir: "memory://" });
    const config = testConfig(
      {},
      { HA_URL: sim.url, HA_TOKEN: token, HA_APPROVAL_NOTIFY: "mobile_app_pixel" },
    );
    for (const name of ["a", "b"]) {
      const log = createLogger({
        level: "info",
        write: (line) => lines.push(line),
        fields: { process: name },
      });
      const redis = connectRedis(new Secret(redisServer.url), log, name);
      connections.push(redis);
      const core = await createJarvis(config, { log, database, redis });
      cores.push(core);
      await core.clients.homeassistant!.ready();
    }
  });
  afterAll(async () => {
    for (const core of cores) await core.close();
    for (const redis of connections) redis.disconnect();
    await database?.close();
    await redisServer?.stop();
    await sim?.stop();
  });

  it("sends one notification and decides a pressed Approve once, whichever processes hear it", async () => {
    const result = await cores[0]!.runTool(
      { tool: "ha_call_service", args: { domain: "lock", service: "unlock", entity_id: "lock.front_door" } },
      { source: "api", principal: adminPrincipal },
    );
    const id = (result as { approval: { id: string } }).approval.id;
    const notifications = () => sim.calls.filter((c) => JSON.stringify(c.service_data).includes(id));
    await waitFor(() => expect(notifications()).toHaveLength(1));
    sim.fireEvent("mobile_app_notification_action", { action: `JARVIS_APPROVE_${id}`, reply_text: null });
    await waitFor(() => expect(sim.states.get("lock.front_door")?.state).toBe("unlocked"));
    await waitFor(() =>
      expect(lines.filter((l) => l.includes("approval decided from the companion app"))).toHaveLength(1),
    );
    expect(await cores[1]!.approvals.get(id)).toMatchObject({
      status: "approved",
      decidedBy: "ha:homeassistant",
    });
    expect(lines.filter((l) => l.includes("companion app decision failed"))).toEqual([]);
    expect(sim.calls.filter((c) => c.domain === "lock")).toHaveLength(1);
    expect(notifications()).toHaveLength(1);
  });
});
