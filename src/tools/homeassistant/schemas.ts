import { z } from "zod";
import type { Risk } from "../define-tool.ts";

export const EntityId = z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, "an entity id like light.kitchen");
const EntityList = z.array(EntityId).min(1).max(50);
export const EntityIds = z.union([EntityId, EntityList]);
const name = (max = 256) => z.string().min(1).max(max);

export const ListEntitiesInput = z.strictObject({
  domain: name(64).optional(),
  area: name(64).optional(),
  query: name().optional(),
});
export type ListEntitiesInput = z.infer<typeof ListEntitiesInput>;

export const GetStateInput = z.strictObject({ entity_id: EntityId });
export type GetStateInput = z.infer<typeof GetStateInput>;

export const HistoryInput = z.strictObject({
  entity_id: EntityId,
  hours: z.number().positive().max(720).optional(),
});
export type HistoryInput = z.infer<typeof HistoryInput>;

/**
 * ha_call_service input: a service of a domain, on entities, with service data. `entity_id: "all"`
 * is Home Assistant's "every entity of the service's domain"; `area` narrows to one area. Jarvis
 * resolves both to the entity ids it knows before asking or sending anything.
 */
export const CallServiceInput = z.strictObject({
  domain: z.string().regex(/^[a-z_]+$/, "a service domain like light"),
  service: z.string().regex(/^[a-z_]+$/, "a service like turn_on"),
  entity_id: z
    .union([z.literal("all"), EntityId, EntityList])
    .optional()
    .describe('an entity id, a list of them, or "all": every entity of the domain'),
  area: name(64)
    .optional()
    .describe(
      "an area (kitchen) or a floor (downstairs): every entity of the domain there; entity_id absent or all",
    ),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type CallServiceInput = z.infer<typeof CallServiceInput>;

export const NotifyInput = z.strictObject({
  message: z.string().min(1).max(2000),
  title: name().optional(),
  target: z
    .string()
    .regex(/^[a-z0-9_]+$/, "a notify service like mobile_app_pixel_8")
    .optional(),
});
export type NotifyInput = z.infer<typeof NotifyInput>;

const alwaysDestructive = new Set(["lock", "alarm_control_panel"]);
/** Services that can open a cover (a garage door): turning it on or toggling opens it too. */
const opensCover = new Set(["open_cover", "open_cover_tilt", "set_cover_position", "toggle", "turn_on"]);

/**
 * Unlocking a door, disarming an alarm and opening a garage door are destructive (physical
 * security); everything else is a write. The entity ids count as much as the domain, so
 * `homeassistant.toggle` on `lock.front_door` is judged as the lock it acts on. Locking counts as
 * destructive too: the lock domain is judged as a whole, so no service name can slip past it.
 */
export function callServiceRisk(input: CallServiceInput): Risk {
  const ids = idsOf(input.entity_id);
  const domains = new Set([input.domain, ...ids.map((id) => id.split(".")[0]!)]);
  if ([...domains].some((domain) => alwaysDestructive.has(domain))) return "destructive";
  if (domains.has("cover") && opensCover.has(input.service)) return "destructive";
  return "write";
}

/** The entity ids a call names, as a list (`"all"` names none by itself: see resolveTargets). */
export const idsOf = (entityId: string | string[] | undefined): string[] =>
  entityId === undefined || entityId === "all" ? [] : [entityId].flat();
