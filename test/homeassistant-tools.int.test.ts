import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMonitors } from "../src/incidents/monitors/index.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { adminChat } from "./helpers/admin-chat.ts";
import { approvalIn, type createChatClient, textOf } from "./helpers/chat-client.ts";
import { adminPrincipal, createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { waitFor } from "./helpers/wait.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";

const token = "ha-tools-token";

/** The ha_* tools through the real gate and the local intent engine, against the simulator. */
describe("Home Assistant tools", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  let chat: ReturnType<typeof createChatClient>;
  const call = (tool: string, args: unknown, source: "api" | "alert" = "api") =>
    jarvis.runTool({ tool, args }, { source, principal: adminPrincipal });

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { HA_URL: sim.url, HA_TOKEN: token, JARVIS_MODEL: "local", HA_NOTIFY_TARGET: "mobile_app_pixel" },
      ),
    });
    await jarvis.clients.homeassistant!.ready();
    chat = await adminChat(jarvis);
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.stop();
  });

  it("lists entities by area and domain, and reads a state", async () => {
    const kitchen = await call("ha_list_entities", { area: "kitchen" });
    expect(kitchen).toMatchObject({ status: "ok" });
    const ids = (kitchen as { result: { entities: Array<{ entity_id: string }> } }).result.entities.map(
      (e) => e.entity_id,
    );
    expect(ids).toEqual(["light.kitchen", "switch.coffee_maker"]);
    const outdoor = await call("ha_get_state", { entity_id: "sensor.outdoor_temperature" });
    expect(outdoor).toMatchObject({ status: "ok", result: { state: "7.5", name: "Outdoor Temperature" } });
  });

  it("refuses an unknown entity before calling anything, naming similar ones", async () => {
    await expect(call("ha_get_state", { entity_id: "light.kitchn" })).rejects.toThrow(
      /no entity light\.kitchn.*light\.kitchen/,
    );
    const before = sim.calls.length;
    const pending = (await jarvis.approvals.list({ status: "pending" })).length;
    // Refused when the gate resolves the target: before an approval is even asked for.
    await expect(
      call("ha_call_service", { domain: "light", service: "turn_off", entity_id: "light.kitchn" }),
    ).rejects.toThrow(/no entity light\.kitchn/);
    expect((await jarvis.approvals.list({ status: "pending" })).length).toBe(pending);
    expect(sim.calls.length).toBe(before);
  });

  it("asks before unlocking, disarming or opening, even for an alert, and never runs it", async () => {
    const before = sim.calls.length;
    for (const args of [
      { domain: "lock", service: "unlock", entity_id: "lock.front_door" },
      { domain: "cover", service: "open_cover", entity_id: "cover.garage_door" },
      { domain: "homeassistant", service: "toggle", entity_id: "lock.front_door" },
    ]) {
      const result = await call("ha_call_service", args, "alert");
      expect(result).toMatchObject({ status: "approval_required", approval: { risk: "destructive" } });
    }
    expect(sim.calls.length).toBe(before);
    expect(sim.states.get("lock.front_door")?.state).toBe("locked");
  });

  it("turns off the kitchen lights from a sentence, after a 'yes'", async () => {
    const asked = await chat.say("ha-kitchen", "turn off the kitchen lights");
    expect(approvalIn(asked)).toMatchObject({
      tool: "ha_call_service",
      args: { domain: "light", service: "turn_off", entity_id: "light.kitchen" },
    });
    expect(sim.states.get("light.kitchen")?.state).toBe("on");
    const done = await chat.say("ha-kitchen", "yes");
    expect(textOf(done.message)).toMatch(/kitchen is off/i);
    expect(sim.states.get("light.kitchen")?.state).toBe("off");
  });

  it("answers the temperature outside from the live state", async () => {
    sim.setState("sensor.outdoor_temperature", "4.5");
    await waitFor(() =>
      expect(jarvis.clients.homeassistant!.entity("sensor.outdoor_temperature")?.state).toBe("4.5"),
    );
    const reply = await chat.say("ha-temp", "what's the temperature outside");
    expect(textOf(reply.message)).toMatch(/Outdoor Temperature is 4\.5 °C/);
  });

  it("answers whether the front door was opened in the last hour from the history", async () => {
    const now = Date.now();
    sim.addHistory("binary_sensor.front_door_contact", "on", new Date(now - 12 * 60_000));
    sim.addHistory("binary_sensor.front_door_contact", "off", new Date(now - 11 * 60_000));
    const reply = await chat.say("ha-door", "was the front door opened in the last hour");
    expect(textOf(reply.message)).toMatch(/^Yes: front door contact was opened 1 time/);
  });

  it("sends a notification to the configured phone", async () => {
    const result = await call("ha_notify", { message: "Backup finished", title: "Jarvis" });
    expect(result).toMatchObject({ status: "approval_required" });
    const approved = await jarvis.decideApproval(
      (result as { approval: { id: string } }).approval.id,
      { decision: "approve" },
      adminPrincipal,
    );
    expect(approved).toBeTruthy();
    expect(sim.calls.at(-1)).toMatchObject({
      domain: "notify",
      service: "mobile_app_pixel",
      service_data: { message: "Backup finished", title: "Jarvis" },
    });
  });
});

describe("approvals as actionable companion-app notifications", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    jarvis = await createTestJarvis({
      config: testConfig({}, { HA_URL: sim.url, HA_TOKEN: token, HA_APPROVAL_NOTIFY: "mobile_app_pixel" }),
    });
    await jarvis.clients.homeassistant!.ready();
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.stop();
  });

  const ask = async (args: Record<string, unknown>) => {
    const result = await jarvis.runTool(
      { tool: "ha_call_service", args },
      { source: "api", principal: adminPrincipal },
    );
    const id = (result as { approval: { id: string } }).approval.id;
    await waitFor(() =>
      expect(sim.calls.find((c) => JSON.stringify(c.service_data).includes(id))).toBeDefined(),
    );
    return { id, sent: sim.calls.find((c) => JSON.stringify(c.service_data).includes(id))! };
  };

  it("sends Approve/Deny actions, and a pressed Approve decides the approval as the configured principal", async () => {
    const { id, sent } = await ask({ domain: "lock", service: "unlock", entity_id: "lock.front_door" });
    expect(sent).toMatchObject({
      domain: "notify",
      service: "mobile_app_pixel",
      service_data: {
        data: {
          actions: [
            { action: `JARVIS_APPROVE_${id}`, title: "Approve" },
            { action: `JARVIS_DENY_${id}`, title: "Deny" },
          ],
        },
      },
    });
    expect(sim.states.get("lock.front_door")?.state).toBe("locked");
    sim.fireEvent("mobile_app_notification_action", { action: `JARVIS_APPROVE_${id}`, reply_text: null });
    await waitFor(async () =>
      expect(await jarvis.approvals.get(id)).toMatchObject({
        status: "approved",
        decidedBy: "ha:homeassistant",
      }),
    );
    await waitFor(() => expect(sim.states.get("lock.front_door")?.state).toBe("unlocked"));
  });

  it("a pressed Deny denies, and nothing runs", async () => {
    const { id } = await ask({ domain: "cover", service: "open_cover", entity_id: "cover.garage_door" });
    sim.fireEvent("mobile_app_notification_action", { action: `JARVIS_DENY_${id}` });
    await waitFor(async () => expect((await jarvis.approvals.get(id))?.status).toBe("denied"));
    expect(sim.states.get("cover.garage_door")?.state).toBe("closed");
    expect(sim.calls.some((c) => c.domain === "cover")).toBe(false);
  });
});

describe("Home Assistant as an alert source", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  let monitors: { stop(): Promise<void> };
  beforeAll(async () => {
    const options = homelabHomeAssistant(token);
    options.entities.push({
      entity_id: "sensor.ups_status",
      state: "online",
      attributes: { friendly_name: "UPS" },
    });
    sim = await startHomeAssistantSim(options);
    const config = testConfig(
      {},
      { HA_URL: sim.url, HA_TOKEN: token, JARVIS_MONITOR_DOCKER: "false", JARVIS_MONITOR_DISK: "false" },
    );
    config.homeassistant.alerts = [
      { entity_id: "sensor.ups_status", state: ["on_battery", "unavailable"], severity: "critical" },
    ];
    jarvis = await createTestJarvis({ config });
    monitors = startMonitors(jarvis);
    await jarvis.clients.homeassistant!.ready();
  });
  afterAll(async () => {
    await monitors?.stop();
    await jarvis?.close();
    await sim?.stop();
  });

  it("opens an incident when an entity enters a configured state, and clears the alert when it leaves", async () => {
    const open = () => jarvis.incidents.store.list({ open: true });
    expect(await open()).toEqual([]);
    sim.setState("sensor.ups_status", "on_battery");
    await waitFor(async () =>
      expect(await open()).toMatchObject([
        { fingerprint: "homeassistant:sensor.ups_status", severity: "critical" },
      ]),
    );
    sim.setState("sensor.ups_status", "online");
    await waitFor(async () => {
      const events = await jarvis.incidents.store.events((await jarvis.incidents.store.list())[0]!.id);
      expect(JSON.stringify(events)).toMatch(/"status":"resolved"/);
    });
  });
});
