import { defineTool } from "../define-tool.ts";
import { haClient, requireEntity } from "./resolve.ts";
import { HistoryInput } from "./schemas.ts";

/** ha_history: an entity's state changes over the last hours (Home Assistant's REST history). */
export const entityHistory = defineTool({
  name: "ha_history",
  title: "Entity history",
  description: "Lists an entity's state changes over the last hours (default 24).",
  input: HistoryInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.entity_id,
  async run(input, ctx) {
    const client = await haClient(ctx);
    const entity = requireEntity(client, input.entity_id);
    const hours = input.hours ?? 24;
    const changes = await client.history(input.entity_id, hours, ctx.signal);
    return {
      entity_id: input.entity_id,
      name: entity.name,
      hours,
      changes: changes.map((c) => ({ state: c.state, at: c.last_changed })),
    };
  },
});
