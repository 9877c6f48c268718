import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { HaEntity } from "./cache.ts";
import type { HomeAssistantClient } from "./client.ts";

/** What resolving entities needs: the cached registry (the client, or an eval world's inventory). */
export type EntitySource = Pick<HomeAssistantClient, "entity" | "entities" | "areas" | "floors">;

/** The connected Home Assistant client, or a clear error saying what to configure. */
export async function haClient(ctx: ToolContext): Promise<HomeAssistantClient> {
  const client = ctx.clients.homeassistant;
  if (!client) {
    throw new JarvisError("unavailable", "Home Assistant is not configured: set HA_URL and HA_TOKEN");
  }
  await client.ready(5000);
  return client;
}

/** "living room", "Living Room" and "living_room" are the same area. */
export const sameArea = (a: string, b: string) =>
  a
    .toLowerCase()
    .replace(/[_\s-]+/g, " ")
    .trim() ===
  b
    .toLowerCase()
    .replace(/[_\s-]+/g, " ")
    .trim();

/**
 * The areas a place names: the area itself, or the areas of a floor of that name ("downstairs");
 * undefined when Home Assistant has neither. An area of the same name wins over a floor.
 */
export function placeAreas(client: EntitySource, place: string): string[] | undefined {
  const isArea =
    client.areas().some((a) => sameArea(a, place)) ||
    client.entities().some((e) => e.area !== undefined && sameArea(e.area, place));
  if (isArea) return [place];
  return client.floors().find((f) => sameArea(f.name, place))?.areas;
}

/** Is the entity in one of these areas? */
export const inAreas = (entity: HaEntity, areas: readonly string[]) =>
  entity.area !== undefined && areas.some((a) => sameArea(a, entity.area!));

/** Entities whose id or friendly name contains every word of the query. */
export function matchesQuery(entity: HaEntity, query: string): boolean {
  const hay = `${entity.entity_id} ${entity.name} ${entity.area ?? ""}`.toLowerCase().replace(/_/g, " ");
  return query
    .toLowerCase()
    .split(/[\s_]+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/**
 * One entity by id; an unknown id is an error written for the model, naming the closest entities
 * (same object id or same domain) so it can correct itself.
 */
export function requireEntity(client: EntitySource, entityId: string): HaEntity {
  const entity = client.entity(entityId);
  if (entity) return entity;
  const [domain, object] = entityId.split(".") as [string, string];
  const words = object.split("_");
  const near = client
    .entities()
    .filter(
      (e) =>
        words.some((w) => w.length > 2 && e.entity_id.includes(w)) || e.entity_id.startsWith(`${domain}.`),
    )
    .slice(0, 8)
    .map((e) => e.entity_id);
  throw new JarvisError(
    "not_found",
    `Home Assistant has no entity ${entityId}${near.length ? `; similar: ${near.join(", ")}` : ""}. ha_list_entities lists them.`,
  );
}
