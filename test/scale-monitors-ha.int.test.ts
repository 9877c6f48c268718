import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/database.ts";
import { monitorLeaders, startMonitors } from "../src/incidents/monitors/index.ts";
import { createJarvis, type Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { testConfig } from "./helpers/jarvis.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { eventually } from "./helpers/unhealthy-container.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";

const token = "ha-scale-token";
const sensors = [
  "sensor.ups_status",
  "sensor.pump_status",
  "sensor.freezer_status",
  "sensor.well_status",
  "sensor.sump_status",
];

/**
 * Two Jarvis cores with the Home Assistant monitor on (two connections to the simulator), one
 * real redis-server and one database: a state change opens one incident counted once, and when the
 * leader shuts down the other takes the stream over at once (the lease is released, not left to expire).
 */
describe("scale-out: the Home Assistant monitor runs in one of two processes", { timeout: 180_000 }, () => {
  let server: RedisServer;
  let sim: HomeAssistantSim;
  let database: Database;
  const redis: Redis[] = [];
  const cores: Jarvis[] = [];
  const monitors: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    server = await startRedis();
    const options = homelabHomeAssistant(token);
    for (const entity_id of sensors)
      options.entities.push({ entity_id, state: "ok", attributes: { friendly_name: entity_id } });
    sim = await startHomeAssistantSim(options);
    database = await openDatabase({ dataDir: "memory://" });
    const base = testConfig(
      {},
      {
        HA_URL: sim.url,
        HA_TOKEN: token,
        JARVIS_MONITOR_DOCKER: "false",
        JARVIS_MONITOR_DISK: "false",
        JARVIS_MONITOR_DOMAINS: "false",
        JARVIS_JOBS_LOCK_MS: "1500",
      },
    );
    base.homeassistant.alerts = sensors.map((entity_id) => ({
      entity_id,
      state: ["failed"],
      severity: "critical",
    }));
    for (const name of ["a", "b"]) {
      const connection = connectRedis(new Secret(server.url), silentLogger, name);
      redis.push(connection);
      const core = await createJarvis(base, { log: silentLogger, database, redis: connection });
      cores.push(core);
      await core.clients.homeassistant!.ready();
    }
  });
  afterAll(async () => {
    await Promise.all(monitors.map((m) => m.stop()));
    for (const core of cores) await core.close();
    for (const connection of redis) connection.disconnect();
    await database?.close();
    await sim?.stop();
    await server?.stop();
  });

  const leader = async (core: Jarvis) => (await monitorLeaders(core)).homeassistant?.leader ?? undefined;
  const incidentFor = (entity: string) =>
    eventually(`the incident for ${entity}`, () =>
      cores[0]!.incidents.store.openFor(`homeassistant:${entity}`),
    );

  it("A leads (it held the lease first), B waits; a state change opens one incident, counted once", async () => {
    const [a, b] = cores as [Jarvis, Jarvis];
    monitors.push(startMonitors(a));
    await eventually("A leads", () => leader(a));
    monitors.push(startMonitors(b));
    // Both cores are in this test's process, so both name it: only A's lease holds the key.
    expect(await leader(b)).toBe(a.leases.self);

    sim.setState("sensor.ups_status", "failed");
    await incidentFor("sensor.ups_status");
    // A later change, once ingested, shows the stream past the first: a second ingest would show by now.
    sim.setState("sensor.pump_status", "failed");
    await incidentFor("sensor.pump_status");
    expect((await incidentFor("sensor.ups_status")).alertCount).toBe(1);
  });

  it("A shuts down its monitors: B takes the stream over and a later change is ingested once", async () => {
    const [a, b] = cores as [Jarvis, Jarvis];
    await monitors[0]!.stop();
    // Released on stop: nobody, or B already, holds it; B leads within a third of the TTL.
    await eventually("B leads", () => leader(b));
    sim.setState("sensor.freezer_status", "failed");
    await incidentFor("sensor.freezer_status");
    sim.setState("sensor.well_status", "failed");
    await incidentFor("sensor.well_status");
    expect((await incidentFor("sensor.freezer_status")).alertCount).toBe(1);
    expect(await leader(a)).toBe(b.leases.self);
  });

  it("changes while no process led are caught up by the next leader: what failed opens, what recovered resolves", async () => {
    const [a, b] = cores as [Jarvis, Jarvis];
    await monitors[1]!.stop();
    await eventually("nobody leads", async () => (await leader(a)) === undefined);
    const freezer = await incidentFor("sensor.freezer_status");
    sim.setState("sensor.freezer_status", "ok");
    sim.setState("sensor.sump_status", "failed");
    // Nothing listens: the changes are not ingested.
    await new Promise((r) => setTimeout(r, 300));
    expect(await cores[0]!.incidents.store.openFor("homeassistant:sensor.sump_status")).toBeUndefined();

    monitors.push(startMonitors(a));
    await eventually("A leads again", () => leader(a));
    await incidentFor("sensor.sump_status");
    await eventually("the freezer's incident told it recovered", async () =>
      JSON.stringify(await a.incidents.store.events(freezer.id)).includes('"status":"resolved"'),
    );
    // Still bad and already open: not counted again.
    for (const entity of ["sensor.ups_status", "sensor.pump_status", "sensor.well_status"])
      expect((await incidentFor(entity)).alertCount).toBe(1);
    expect(await leader(b)).toBe(a.leases.self);
  });
});
