import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { haClient } from "./resolve.ts";
import { CallServiceInput, callServiceRisk } from "./schemas.ts";
import { callServiceTarget, picksEntities, resolveTargets } from "./targets.ts";

/**
 * ha_call_service: calls a service on entities. Its risk depends on what it acts on (unlocking,
 * disarming, opening a cover are destructive), so the gate asks accordingly. `entity_id: "all"` and
 * `area` are resolved to the concrete entity ids before the gate decides: several entities are a
 * target list (each decided by the policy, the strictest wins), and unknown entities or an empty
 * selection are refused before anything is sent.
 */
export const callServiceTool = defineTool({
  name: "ha_call_service",
  title: "Call Home Assistant service",
  description:
    'Calls a Home Assistant service on entities: light.turn_on (data: brightness_pct, color_name), switch.turn_off, climate.set_temperature (data: temperature), lock.unlock, cover.open_cover, media_player.media_pause… entity_id is one id, a list, or "all" (every entity of the domain: light.turn_off with entity_id "all" turns off all the lights); area (kitchen, or a floor such as downstairs) acts on the domain\'s entities there. Unlocking, disarming and opening covers need approval, and always do for several at once.',
  input: CallServiceInput,
  risk: callServiceRisk,
  idempotent: false,
  async target(input, ctx) {
    if (input.entity_id === undefined && input.area === undefined) return input.domain;
    return callServiceTarget(input, await haClient(ctx));
  },
  async run(input, ctx) {
    const client = await haClient(ctx);
    const ids = resolveTargets(input, client);
    // "all" or an area is resolved again here: act only on the set the policy and approval saw.
    if (picksEntities(input) && ctx.target !== undefined && ids.join(",") !== ctx.target) {
      throw new JarvisError(
        "conflict",
        `The ${input.domain} entities ${input.area ? `in ${input.area} ` : ""}changed since the call was decided (now ${ids.join(", ")}; decided ${ctx.target.split(",").join(", ")}). Nothing was sent; ask again.`,
      );
    }
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
