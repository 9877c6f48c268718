import { defineTool } from "../define-tool.ts";
import { haClient, requireEntity } from "./resolve.ts";
import { CallServiceInput, callServiceRisk, idsOf } from "./schemas.ts";

/**
 * ha_call_service: calls a service on entities. Its risk depends on what it acts on (unlocking,
 * disarming, opening a cover are destructive), so the gate asks accordingly; unknown entities are
 * refused before anything is sent.
 */
export const callServiceTool = defineTool({
  name: "ha_call_service",
  title: "Call Home Assistant service",
  description:
    "Calls a Home Assistant service on entities: light.turn_on (data: brightness_pct, color_name), switch.turn_off, climate.set_temperature (data: temperature), lock.unlock, cover.open_cover, media_player.media_pause… Unlocking, disarming and opening covers need approval.",
  input: CallServiceInput,
  risk: callServiceRisk,
  idempotent: false,
  target: (input) => (input.entity_id === undefined ? input.domain : idsOf(input.entity_id).join(",")),
  async run(input, ctx) {
    const client = await haClient(ctx);
    const ids = idsOf(input.entity_id);
    for (const id of ids) requireEntity(client, id);
    await client.callService(
      input.domain,
      input.service,
      input.data,
      ids.length ? { entity_id: ids } : undefined,
    );
    return {
      ok: true,
      service: `${input.domain}.${input.service}`,
      entities: ids.map((id) => ({ entity_id: id, state: client.entity(id)?.state })),
    };
  },
});
