import type { Inventory } from "../../src/agent/intents/inventory.ts";
import type { HaEntity } from "../../src/tools/homeassistant/cache.ts";
import type { EntitySource } from "../../src/tools/homeassistant/resolve.ts";

/** The Home Assistant toolset has landed: evals use its real definitions, answered by a world. */
export { homeAssistantTools } from "../../src/tools/homeassistant/index.ts";

/**
 * A world's inventory as the entity registry ha_call_service resolves its targets against (`"all"`,
 * an area, unknown ids), so an eval call is judged on the same target as a live one.
 */
export function inventoryEntities(inventory: () => Inventory): EntitySource {
  const view = (e: Inventory["entities"][number]): HaEntity => ({
    entity_id: e.entity_id,
    name: e.name ?? e.entity_id.split(".")[1]!.replace(/_/g, " "),
    ...(e.area ? { area: e.area } : {}),
    state: "unknown",
    attributes: {},
    last_changed: "",
  });
  return {
    entities: () => inventory().entities.map(view),
    entity: (id) => {
      const found = inventory().entities.find((e) => e.entity_id === id);
      return found ? view(found) : undefined;
    },
    areas: () => inventory().areas,
    floors: () => [],
  };
}
