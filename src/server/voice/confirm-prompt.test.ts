import { describe, expect, it } from "vitest";
import { confirmPrompt } from "./confirm-prompt.ts";

const ask = (args: Record<string, unknown>, target: string | null) =>
  confirmPrompt({ tool: "ha_call_service", target, args }, "Call Home Assistant service");

describe("the spoken confirmation question", () => {
  it("names one entity from its id", () => {
    expect(ask({ domain: "light", service: "turn_off", entity_id: "light.kitchen" }, "light.kitchen")).toBe(
      "Turn off the kitchen? Say confirm.",
    );
  });

  it("names every entity that 'all' or an area resolved to, from the approval's target", () => {
    const lights = "light.bedroom,light.kitchen,light.living_room";
    expect(ask({ domain: "light", service: "turn_off", entity_id: "all" }, lights)).toBe(
      "Turn off all 3 lights: bedroom, kitchen and living room? Say confirm.",
    );
    expect(
      ask({ domain: "switch", service: "turn_on", area: "kitchen" }, "switch.coffee_maker,switch.kettle"),
    ).toBe("Turn on all 2 switches: coffee maker and kettle? Say confirm.");
    expect(ask({ domain: "lock", service: "unlock", entity_id: "all" }, "lock.front_door")).toBe(
      "Unlock the front door? Say confirm.",
    );
  });
});
