import { defineTool } from "../define-tool.ts";
import { haClient, inAreas, matchesQuery, placeAreas } from "./resolve.ts";
import { ListEntitiesInput } from "./schemas.ts";

/** ha_list_entities: entities from the live cache, filtered by domain, area and a name query. */
export const listEntities = defineTool({
  name: "ha_list_entities",
  title: "List Home Assistant entities",
  description:
    "Lists Home Assistant entities (id, friendly name, area, state) filtered by domain (light, switch, sensor…), area (kitchen, or a floor such as downstairs) or a query on names.",
  input: ListEntitiesInput,
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const client = await haClient(ctx);
    // An area, or a floor ("downstairs") standing for its areas; a place that is neither lists nothing.
    const places = input.area === undefined ? undefined : (placeAreas(client, input.area) ?? []);
    const entities = client
      .entities()
      .filter((e) => !input.domain || e.entity_id.startsWith(`${input.domain}.`))
      .filter((e) => !places || inAreas(e, places))
      .filter((e) => !input.query || matchesQuery(e, input.query))
      .sort((a, b) => a.entity_id.localeCompare(b.entity_id))
      .map(({ entity_id, name, area, state, attributes }) => ({
        entity_id,
        name,
        ...(area ? { area } : {}),
        state,
        ...(typeof attributes.unit_of_measurement === "string"
          ? { unit: attributes.unit_of_measurement }
          : {}),
      }));
    return { entities, ...(input.area && !entities.length ? { areas: client.areas() } : {}) };
  },
});
