import { describe, expect, it } from "vitest";
import { createIntentRecognizer } from "../index.ts";
import { homelabInventory } from "../test-inventory.ts";

const recognize = createIntentRecognizer();
const inventory = homelabInventory();
// A house with floors named as areas, as many Home Assistant set-ups have them.
inventory.areas.push("downstairs", "upstairs");
inventory.entities.push({ entity_id: "light.hall_downstairs", name: "Hall Light", area: "downstairs" });
const ctx = { inventory, now: new Date(2026, 10, 26, 10, 0, 0) };
const match = (text: string) => recognize(text, ctx);
const plan = (text: string) => {
  const found = match(text);
  return found ? found.intent.plan(found.slots, ctx) : undefined;
};

describe("every entity of a domain, from a sentence", () => {
  it.each([
    ["turn off all the lights", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["Turn off all the lights please", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["all lights off", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["all the lights on", { domain: "light", service: "turn_on", entity_id: "all" }],
    ["switch off every light in the house", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["turn every lamp off", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["turn on all the lights everywhere", { domain: "light", service: "turn_on", entity_id: "all" }],
    ["turn the lights off throughout the house", { domain: "light", service: "turn_off", entity_id: "all" }],
    ["switch off all the plugs", { domain: "switch", service: "turn_off", entity_id: "all" }],
    ["turn off all the lights in the kitchen", { domain: "light", service: "turn_off", area: "kitchen" }],
    [
      "switch on every light in the living room",
      { domain: "light", service: "turn_on", area: "living room" },
    ],
    ["turn off the lights downstairs", { domain: "light", service: "turn_off", area: "downstairs" }],
    ["the lights upstairs off", { domain: "light", service: "turn_off", area: "upstairs" }],
    ["close all the blinds", { domain: "cover", service: "close_cover", entity_id: "all" }],
    ["open every shutter in the bedroom", { domain: "cover", service: "open_cover", area: "bedroom" }],
    ["lock all the doors", { domain: "lock", service: "lock", entity_id: "all" }],
    ["unlock every door", { domain: "lock", service: "unlock", entity_id: "all" }],
  ])("%s", (text, args) => {
    const calls = plan(text);
    expect(calls).toEqual([{ tool: "ha_call_service", args }]);
  });

  it("leaves one named entity to the single-entity intents", () => {
    expect(plan("turn off the kitchen lights")).toEqual([
      {
        tool: "ha_call_service",
        args: { domain: "light", service: "turn_off", entity_id: "light.kitchen" },
      },
    ]);
    expect(plan("lights off in the living room")?.[0]?.args).toMatchObject({
      entity_id: "light.living_room",
    });
    expect(plan("unlock the front door")?.[0]?.args).toMatchObject({ entity_id: "lock.front_door" });
  });

  it("does not take a place it does not know for an area", () => {
    expect(plan("turn off the lights in the attic")?.[0]?.args).not.toMatchObject({ area: "attic" });
  });

  it("answers with what the result names, and plainly when it names nothing", () => {
    const found = match("turn off all the lights")!;
    const args = { domain: "light", service: "turn_off", entity_id: "all" };
    const output = {
      ok: true,
      service: "light.turn_off",
      entities: ["light.bedroom", "light.kitchen", "light.living_room"].map((entity_id) => ({
        entity_id,
        state: "off",
      })),
    };
    expect(found.intent.answer(found.slots, [{ tool: "ha_call_service", args, output }], ctx)).toBe(
      "Done: turned off 3 lights (bedroom, kitchen and living room).",
    );
    expect(
      found.intent.answer(found.slots, [{ tool: "ha_call_service", args, output: { ok: true } }], ctx),
    ).toBe("Done: turned off all the lights.");
    expect(
      found.intent.answer(found.slots, [{ tool: "ha_call_service", args, denied: "not approved" }], ctx),
    ).toBe("OK, I did not switch off the lights: it was not approved.");
    const kitchen = match("turn off all the lights in the kitchen")!;
    const one = { ...output, entities: [{ entity_id: "light.kitchen", state: "off" }] };
    expect(kitchen.intent.answer(kitchen.slots, [{ tool: "ha_call_service", args, output: one }], ctx)).toBe(
      "Done: turned off the kitchen light.",
    );
  });
});
