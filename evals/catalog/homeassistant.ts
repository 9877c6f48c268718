import { z } from "zod";
import type { Risk } from "../../src/tools/define-tool.ts";
import { name, params, standIn } from "./stand-in.ts";

const EntityId = z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, "an entity id like light.kitchen");
const EntityIds = z.union([EntityId, z.array(EntityId).min(1).max(50)]);

/** ha_call_service input: a service of a domain, on entities, with service data. */
export const CallServiceInput = z.strictObject({
  domain: z.string().regex(/^[a-z_]+$/, "a service domain like light"),
  service: z.string().regex(/^[a-z_]+$/, "a service like turn_on"),
  entity_id: EntityIds.optional(),
  data: params().optional(),
});
export type CallServiceInput = z.infer<typeof CallServiceInput>;

const alwaysDestructive = new Set(["lock", "alarm_control_panel"]);
/** Services that can open a cover (a garage door): turning it on or toggling opens it too. */
const opensCover = new Set(["open_cover", "open_cover_tilt", "set_cover_position", "toggle", "turn_on"]);

/**
 * Unlocking a door, disarming an alarm and opening a garage door are destructive (physical
 * security); everything else is a write. The entity ids count as much as the domain, so
 * `homeassistant.toggle` on `lock.front_door` is judged as the lock it acts on.
 */
export function callServiceRisk(input: CallServiceInput): Risk {
  const ids = input.entity_id === undefined ? [] : [input.entity_id].flat();
  const domains = new Set([input.domain, ...ids.map((id) => id.split(".")[0]!)]);
  if ([...domains].some((domain) => alwaysDestructive.has(domain))) return "destructive";
  if (domains.has("cover") && opensCover.has(input.service)) return "destructive";
  return "write";
}

/** Stand-ins for the Home Assistant toolset. */
export const homeAssistantTools = [
  standIn({
    name: "ha_list_entities",
    title: "List Home Assistant entities",
    description:
      "Lists Home Assistant entities (id, friendly name, area, state) filtered by domain (light, switch, sensor…), area (kitchen) or a query on names.",
    input: z.strictObject({
      domain: name(64).optional(),
      area: name(64).optional(),
      query: name().optional(),
    }),
    risk: "read",
  }),
  standIn({
    name: "ha_get_state",
    title: "Entity state",
    description:
      "Reads one entity's current state, attributes (brightness, temperature, unit…) and last change.",
    input: z.strictObject({ entity_id: EntityId }),
    risk: "read",
    target: (input) => input.entity_id,
  }),
  standIn({
    name: "ha_history",
    title: "Entity history",
    description: "Lists an entity's state changes over the last hours (default 24).",
    input: z.strictObject({ entity_id: EntityId, hours: z.number().positive().max(720).optional() }),
    risk: "read",
    target: (input) => input.entity_id,
  }),
  standIn({
    name: "ha_call_service",
    title: "Call Home Assistant service",
    description:
      "Calls a Home Assistant service on entities: light.turn_on (data: brightness_pct, color_name), switch.turn_off, climate.set_temperature (data: temperature), lock.unlock, cover.open_cover, media_player.media_pause… Unlocking, disarming and opening covers need approval.",
    input: CallServiceInput,
    risk: callServiceRisk,
    target: (input) => (input.entity_id === undefined ? input.domain : [input.entity_id].flat().join(",")),
  }),
  standIn({
    name: "ha_notify",
    title: "Send notification",
    description:
      "Sends a notification through Home Assistant (to the owner's phone by default; target names a notify service such as mobile_app_pixel).",
    input: z.strictObject({
      message: z.string().min(1).max(2000),
      title: name().optional(),
      target: name().optional(),
    }),
    risk: "write",
    target: (input) => input.target ?? "notify",
  }),
];
