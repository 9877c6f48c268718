import { defineTool } from "../define-tool.ts";
import { haClient, requireEntity } from "./resolve.ts";
import { GetStateInput } from "./schemas.ts";

/** ha_get_state: one entity's state, attributes and last change, from the live cache. */
export const getState = defineTool({
  name: "ha_get_state",
  title: "Entity state",
  description:
    "Reads one entity's current state, attributes (brightness, temperature, unit…) and last change.",
  input: GetStateInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.entity_id,
  async run(input, ctx) {
    return requireEntity(await haClient(ctx), input.entity_id);
  },
});
