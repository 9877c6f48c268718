import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { Secret } from "../src/secret.ts";
import { createApp } from "../src/server/app.ts";
import { createHomeAssistantClient, type HomeAssistantClient } from "../src/tools/homeassistant/client.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { waitFor } from "./helpers/wait.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";

const token = "ha-test-token";

/** The real home-assistant-js-websocket client (through Jarvis's client) against the simulator. */
describe("Home Assistant client", () => {
  let sim: HomeAssistantSim;
  const clients: HomeAssistantClient[] = [];
  const connect = (secret = token) => {
    const client = createHomeAssistantClient({
      url: sim.url,
      token: new Secret(secret),
      log: silentLogger,
      minDelayMs: 50,
      maxDelayMs: 200,
    });
    clients.push(client);
    void client.start();
    return client;
  };

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(async () => {
    await sim.stop();
  });

  it("loads every state with its friendly name and area (from the entity or its device)", async () => {
    const client = connect();
    await client.ready();
    expect(client.status()).toMatchObject({ state: "connected", ok: true, entities: 10 });
    expect(client.entity("light.kitchen")).toMatchObject({
      name: "Kitchen Lights",
      area: "Kitchen",
      state: "on",
    });
    expect(client.entity("media_player.living_room_tv")?.area).toBe("Living Room");
    expect(client.areas()).toContain("Garage");
    await client.ping();
  });

  it("calls a service, and the state_changed event updates the cache", async () => {
    const client = connect();
    await client.ready();
    await client.callService("light", "turn_off", undefined, { entity_id: "light.kitchen" });
    expect(sim.calls.at(-1)).toMatchObject({
      domain: "light",
      service: "turn_off",
      target: { entity_id: "light.kitchen" },
    });
    await waitFor(() => expect(client.entity("light.kitchen")?.state).toBe("off"));
    sim.setState("sensor.outdoor_temperature", "3.0");
    await waitFor(() => expect(client.entity("sensor.outdoor_temperature")?.state).toBe("3.0"));
    sim.setState("light.kitchen", "on");
  });

  it("names Home Assistant's own error for a service that does not exist", async () => {
    const client = connect();
    await client.ready();
    await expect(
      client.callService("light", "explode", undefined, { entity_id: "light.kitchen" }),
    ).rejects.toThrow(/Home Assistant refused light\.explode: Service light\.explode not found/);
  });

  it("reads history over REST, the state at the start of the period first", async () => {
    const client = connect();
    await client.ready();
    const base = Date.now();
    sim.addHistory("binary_sensor.front_door_contact", "on", new Date(base - 20 * 60_000));
    sim.addHistory("binary_sensor.front_door_contact", "off", new Date(base - 19 * 60_000));
    const changes = await client.history("binary_sensor.front_door_contact", 1);
    expect(changes.map((c) => c.state)).toEqual(["off", "on", "off"]);
    await expect(
      createHomeAssistantClient({ url: sim.url, token: new Secret("wrong"), log: silentLogger }).history(
        "light.kitchen",
        1,
      ),
    ).rejects.toThrow(/refused the token/);
  });

  it("reconnects after Home Assistant restarts, and reads what changed while it was down", async () => {
    const client = connect();
    await client.ready();
    await sim.stop();
    await waitFor(() => expect(client.status().state).toBe("disconnected"));
    await expect(
      client.callService("light", "turn_on", undefined, { entity_id: "light.bedroom" }),
    ).rejects.toThrow(/not connected/);
    sim.setState("light.bedroom", "on"); // changed while nobody listened
    await sim.start();
    await vi.waitFor(() => expect(client.status().state).toBe("connected"), { timeout: 15_000 });
    await waitFor(() => expect(client.entity("light.bedroom")?.state).toBe("on"));
    sim.setState("light.bedroom", "off");
    await waitFor(() => expect(client.entity("light.bedroom")?.state).toBe("off"));
  });

  it("keeps trying until Home Assistant comes up the first time", async () => {
    const late = await startHomeAssistantSim(homelabHomeAssistant(token));
    await late.stop();
    const client = createHomeAssistantClient({
      url: late.url,
      token: new Secret(token),
      log: silentLogger,
      minDelayMs: 50,
      maxDelayMs: 100,
    });
    clients.push(client);
    void client.start();
    await waitFor(() => expect(client.status().state).toBe("disconnected"));
    await late.start();
    await client.ready(15_000);
    expect(client.status().ok).toBe(true);
    client.close();
    await late.stop();
  });

  it("a bad token stops at auth_invalid, says so, and does not retry", async () => {
    const before = sim.authAttempts;
    const client = connect("not-the-token");
    await client.start();
    expect(client.status()).toMatchObject({ state: "auth_invalid", ok: false });
    expect(client.status().error).toMatch(/refused the token/);
    expect(sim.authAttempts).toBe(before + 1);
  });
});

describe("Home Assistant in Jarvis (HA_URL, HA_TOKEN)", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    jarvis = await createTestJarvis({ config: testConfig({}, { HA_URL: sim.url, HA_TOKEN: token }) });
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.stop();
  });

  it("connects from config and shows in /healthz without the token", async () => {
    await jarvis.clients.homeassistant!.ready();
    const response = await createApp(jarvis).request("/healthz");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.homeassistant).toEqual({ name: sim.url, ok: true });
    expect(JSON.stringify(body)).not.toContain(token);
    expect(String(jarvis.config.homeassistant.token)).toBe("***");
  });

  it("HA_URL without HA_TOKEN is a clear configuration error", () => {
    expect(() => testConfig({}, { HA_URL: sim.url })).toThrow(/HA_TOKEN is required with HA_URL/);
  });
});
