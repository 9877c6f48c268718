import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { callServiceTool } from "../src/tools/homeassistant/call-service.ts";
import { adminChat } from "./helpers/admin-chat.ts";
import { approvalIn, type createChatClient, textOf } from "./helpers/chat-client.ts";
import { adminPrincipal, createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { waitFor } from "./helpers/wait.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

const token = "ha-all-token";
const lights = ["light.bedroom", "light.kitchen", "light.living_room"];

/**
 * ha_call_service on every entity of a domain (`entity_id: "all"`) or of an area, through the real
 * gate, policy and local intent engine, against the simulator driven by home-assistant-js-websocket.
 */
describe("Home Assistant: all the lights, every lock", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  let chat: ReturnType<typeof createChatClient>;
  const changed: string[] = [];
  const call = (args: Record<string, unknown>) =>
    jarvis.runTool({ tool: "ha_call_service", args }, { source: "api", principal: adminPrincipal });
  const approve = (id: string) => jarvis.decideApproval(id, { decision: "approve" }, adminPrincipal);
  const state = (id: string) => sim.states.get(id)?.state;
  /** Sets a state in Home Assistant and waits until Jarvis's cache has it. */
  const given = async (id: string, value: string) => {
    sim.setState(id, value);
    await waitFor(() => expect(jarvis.clients.homeassistant!.entity(id)?.state).toBe(value));
  };

  beforeAll(async () => {
    const options = homelabHomeAssistant(token);
    options.entities.push({
      entity_id: "lock.back_door",
      state: "locked",
      area_id: "kitchen",
      attributes: { friendly_name: "Back Door" },
    });
    // Floors, as Home Assistant 2024.4+ has them: the bedroom upstairs, the rest downstairs.
    options.floors = [
      { floor_id: "ground", name: "Downstairs", level: 0 },
      { floor_id: "first", name: "Upstairs", level: 1 },
    ];
    options.areas = options.areas!.map((a) => ({
      ...a,
      floor_id: a.area_id === "bedroom" ? "first" : "ground",
    }));
    sim = await startHomeAssistantSim(options);
    // The owner lets Jarvis unlock any single lock without asking; a set of locks still asks.
    const rules = [{ tool: "ha_call_service", target: "lock.*", action: "allow" as const }];
    jarvis = await createTestJarvis({
      config: testConfig({ policy: { rules } }, { HA_URL: sim.url, HA_TOKEN: token, JARVIS_MODEL: "local" }),
    });
    await jarvis.clients.homeassistant!.ready();
    jarvis.clients.homeassistant!.onStateChange((entity) => changed.push(entity.entity_id));
    chat = await adminChat(jarvis);
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.stop();
  });

  it("'turn off all the lights' asks once, naming every light, then turns off each light and nothing else", async () => {
    await given("light.bedroom", "on");
    await given("switch.coffee_maker", "on");
    const before = sim.calls.length;
    const asked = await chat.say("all-lights", "turn off all the lights");
    expect(approvalIn(asked)).toMatchObject({
      tool: "ha_call_service",
      target: lights.join(","),
      args: { domain: "light", service: "turn_off", entity_id: "all" },
    });
    expect(sim.calls.length).toBe(before);
    expect(lights.map(state)).toEqual(["on", "on", "on"]);

    changed.length = 0;
    const done = await chat.say("all-lights", "yes");
    expect(textOf(done.message)).toBe("Done: turned off 3 lights (bedroom, kitchen and living room).");
    // One call naming exactly the approved lights (never Home Assistant's own "all").
    expect(sim.calls.slice(before)).toEqual([
      { domain: "light", service: "turn_off", service_data: {}, target: { entity_id: lights } },
    ]);
    expect(lights.map(state)).toEqual(["off", "off", "off"]);
    expect(state("switch.coffee_maker")).toBe("on");
    // Home Assistant reported each light's change, and only the lights'.
    await waitFor(() => expect([...new Set(changed)].sort()).toEqual(lights));
    const [row] = await jarvis.audit.list({ tool: "ha_call_service", outcome: "ok", limit: 1 });
    expect(row).toMatchObject({ target: lights.join(","), risk: "write" });
  });

  it("'turn off all the lights in the kitchen' acts on the kitchen's lights only", async () => {
    await given("light.kitchen", "on");
    await given("light.living_room", "on");
    const asked = await chat.say("kitchen-lights", "turn off all the lights in the kitchen");
    expect(approvalIn(asked)).toMatchObject({
      target: "light.kitchen",
      args: { domain: "light", service: "turn_off", area: "Kitchen" },
    });
    const done = await chat.say("kitchen-lights", "yes");
    expect(textOf(done.message)).toBe("Done: turned off the kitchen light.");
    expect(sim.calls.at(-1)).toMatchObject({ target: { entity_id: ["light.kitchen"] } });
    expect(state("light.kitchen")).toBe("off");
    expect(state("light.living_room")).toBe("on");
  });

  it("'turn off the lights downstairs' acts on the lights of the floor's areas", async () => {
    for (const id of lights) await given(id, "on");
    const asked = await chat.say("downstairs", "turn off the lights downstairs");
    expect(approvalIn(asked)).toMatchObject({
      target: "light.kitchen,light.living_room",
      args: { domain: "light", service: "turn_off", area: "Downstairs" },
    });
    const done = await chat.say("downstairs", "yes");
    expect(textOf(done.message)).toBe("Done: turned off 2 lights downstairs (kitchen and living room).");
    expect(lights.map(state)).toEqual(["on", "off", "off"]);
    const upstairs = await call({ domain: "light", service: "turn_off", area: "upstairs" });
    expect(upstairs).toMatchObject({ status: "approval_required", approval: { target: "light.bedroom" } });
  });

  it("unlocking every lock is destructive and asks though each lock alone is allowed, and does nothing until approved", async () => {
    const single = await call({ domain: "lock", service: "unlock", entity_id: "lock.back_door" });
    expect(single).toMatchObject({ status: "ok" });
    await given("lock.back_door", "locked");

    const before = sim.calls.length;
    const asked = await call({ domain: "lock", service: "unlock", entity_id: "all" });
    expect(asked).toMatchObject({
      status: "approval_required",
      approval: {
        risk: "destructive",
        target: "lock.back_door,lock.front_door",
        reason: expect.stringMatching(/destructive call on a set of 2 targets always asks/),
      },
    });
    const spoken = await chat.say("unlock-all", "unlock every door");
    expect(approvalIn(spoken)).toMatchObject({ target: "lock.back_door,lock.front_door" });
    expect(sim.calls.length).toBe(before);
    expect([state("lock.back_door"), state("lock.front_door")]).toEqual(["locked", "locked"]);

    await approve((asked as { approval: { id: string } }).approval.id);
    expect(sim.calls.slice(before)).toMatchObject([
      { domain: "lock", service: "unlock", target: { entity_id: ["lock.back_door", "lock.front_door"] } },
    ]);
    expect([state("lock.back_door"), state("lock.front_door")]).toEqual(["unlocked", "unlocked"]);
  });

  it("an approval of 'all' covers the lights it named: a light that appeared since makes it invalid, and nothing is sent", async () => {
    const asked = await call({ domain: "light", service: "turn_on", entity_id: "all" });
    const id = (asked as { approval: { id: string; target: string } }).approval.id;
    expect((asked as { approval: { target: string } }).approval.target).toBe(lights.join(","));
    await given("light.porch", "off");
    const before = sim.calls.length;
    await expect(approve(id)).rejects.toThrow(
      /given for target light\.bedroom,light\.kitchen,light\.living_room, not .*light\.porch/,
    );
    expect(sim.calls.length).toBe(before);
    expect(state("light.porch")).toBe("off");
  });

  it("the tool acts only on the set the gate decided: if 'all' resolves to another set when it runs, nothing is sent", async () => {
    // The gate decided on two lights; by the time the tool runs, Home Assistant has more.
    const decided = "light.bedroom,light.kitchen";
    const before = sim.calls.length;
    const ctx = {
      clients: jarvis.clients,
      signal: new AbortController().signal,
      log: silentLogger,
      source: "api" as const,
      principal: adminPrincipal,
      target: decided,
    };
    await expect(
      callServiceTool.run({ domain: "light", service: "turn_off", entity_id: "all" }, ctx),
    ).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/changed since the call was decided/),
    });
    expect(sim.calls.length).toBe(before);
  });

  it("refuses a selection that picks nothing, or that would reach every domain, before asking or sending", async () => {
    const before = sim.calls.length;
    const pending = (await jarvis.approvals.list({ status: "pending" })).length;
    await expect(call({ domain: "fan", service: "turn_off", entity_id: "all" })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringMatching(/no fan entities, so nothing was sent.*Domains with entities: .*light/),
    });
    await expect(call({ domain: "light", service: "turn_off", area: "attic" })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringMatching(
        /no area attic.*Areas: Living Room, Kitchen.*; floors: Downstairs, Upstairs/,
      ),
    });
    await expect(call({ domain: "cover", service: "close_cover", area: "kitchen" })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringMatching(/no cover entities in kitchen/),
    });
    await expect(
      call({ domain: "homeassistant", service: "turn_off", entity_id: "all" }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringMatching(/every domain/) });
    await expect(
      call({ domain: "light", service: "turn_off", area: "kitchen", entity_id: "light.bedroom" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(sim.calls.length).toBe(before);
    expect((await jarvis.approvals.list({ status: "pending" })).length).toBe(pending);
    const refused = await jarvis.audit.list({ tool: "ha_call_service", limit: 5 });
    expect(refused.map((r) => r.decision)).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid"]);
  });
});

/** The same by voice (the OpenAI-compatible route Home Assistant's conversation agents call). */
describe("Home Assistant by voice: all the lights", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let voiceToken: string;
  /** One spoken turn after the earlier ones; the spoken answer. */
  const say = async (...turns: string[]) => {
    const messages = turns.map((content, i) => ({ role: i % 2 ? "assistant" : "user", content }));
    const response = await app.request("/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${voiceToken}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "jarvis", messages }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    return body.choices[0]!.message.content;
  };

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    jarvis = await createTestJarvis({
      config: testConfig({}, { HA_URL: sim.url, HA_TOKEN: token, JARVIS_MODEL: "local" }),
    });
    await jarvis.clients.homeassistant!.ready();
    app = createApp(jarvis);
    voiceToken = (await jarvis.tokens.create({ name: "home assistant", role: "operator" })).token;
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.stop();
  });

  it("asks naming each light, and 'confirm' turns them all off", async () => {
    const ask = await say("turn off all the lights");
    expect(ask).toBe("Turn off all 3 lights: bedroom, kitchen and living room? Say confirm.");
    expect([state(sim, "light.kitchen"), state(sim, "light.living_room")]).toEqual(["on", "on"]);
    const done = await say("turn off all the lights", ask, "confirm");
    expect(done).toMatch(/^Done: turned off 3 lights/);
    expect(lights.map((id) => state(sim, id))).toEqual(["off", "off", "off"]);
  });

  it("never unlocks every door on a spoken 'confirm' (no spoken PIN is configured)", async () => {
    const ask = await say("unlock every door");
    expect(ask).toBe("Unlock the front door? That needs approval in the Jarvis app or console.");
    await say("unlock every door", ask, "confirm");
    expect(state(sim, "lock.front_door")).toBe("locked");
    expect(sim.calls.some((c) => c.domain === "lock")).toBe(false);
  });
});

const state = (sim: HomeAssistantSim, id: string) => sim.states.get(id)?.state;

/** The same through an LLM (the OpenAI-compatible simulator scripted as the model). */
describe("Home Assistant through an LLM: all the lights", () => {
  let sim: HomeAssistantSim;
  let llm: OpenAISim;
  let jarvis: Jarvis;
  let chat: ReturnType<typeof createChatClient>;

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(token));
    llm = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        {
          HA_URL: sim.url,
          HA_TOKEN: token,
          JARVIS_MODEL: `openai-compatible:${llm.baseURL}#sim-model`,
          JARVIS_MODEL_MAX_RETRIES: "0",
        },
      ),
    });
    await jarvis.clients.homeassistant!.ready();
    chat = await adminChat(jarvis);
  });
  afterAll(async () => {
    await jarvis?.close();
    await llm?.close();
    await sim?.stop();
  });

  it("offers entity_id 'all' in the tool's schema, and a model's call on 'all' is approved and acts on each light", async () => {
    const args = { domain: "light", service: "turn_off", entity_id: "all" };
    llm.script({ toolCalls: [{ name: "ha_call_service", arguments: args }] });
    const asked = await chat.say("llm-all-lights", "turn off all the lights");
    const offered = (llm.requests.at(-1)!.tools ?? []).find((t) =>
      JSON.stringify(t).includes('"name":"ha_call_service"'),
    );
    expect(JSON.stringify(offered)).toContain('"const":"all"');
    const approval = approvalIn(asked)!;
    expect(approval).toMatchObject({ tool: "ha_call_service", target: lights.join(","), args });
    expect(sim.calls).toEqual([]);

    llm.script({ text: "All three lights are off." });
    const done = await chat.decide("llm-all-lights", approval.id, "approve");
    expect(textOf(done.message)).toContain("All three lights are off.");
    expect(sim.calls).toMatchObject([
      { domain: "light", service: "turn_off", target: { entity_id: lights } },
    ]);
    expect(lights.map((id) => state(sim, id))).toEqual(["off", "off", "off"]);
    const result = JSON.parse(
      String(
        llm.requests
          .at(-1)!
          .messages.filter((m) => m.role === "tool")
          .at(-1)!.content,
      ),
    );
    expect(JSON.stringify(result)).toContain("light.living_room");
  });
});
