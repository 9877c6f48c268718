import { JarvisError } from "../../errors.ts";
import { type EntitySource, inAreas, placeAreas, requireEntity } from "./resolve.ts";
import { type CallServiceInput, idsOf } from "./schemas.ts";

/** Does the call pick its entities itself (`entity_id: "all"`, or an area)? */
export const picksEntities = (input: CallServiceInput) =>
  input.entity_id === "all" || input.area !== undefined;

/**
 * The entity ids a ha_call_service call acts on, resolved against the cached registry: the ids it
 * names (each must exist), or for `"all"` and an area every known entity of the service's domain
 * (in that area). Jarvis sends this explicit list, never Home Assistant's own `all`, so that the
 * approval, the audit row and the result name exactly what changes. Anything that would pick
 * nothing is an error before anything is asked or sent.
 */
export function resolveTargets(input: CallServiceInput, client: EntitySource): string[] {
  if (!picksEntities(input)) {
    const ids = idsOf(input.entity_id);
    for (const id of ids) requireEntity(client, id);
    return ids;
  }
  if (input.entity_id !== undefined && input.entity_id !== "all") {
    throw new JarvisError(
      "invalid_input",
      `ha_call_service: area picks the entities itself; give entity_id "all" or leave it out, not ${JSON.stringify(input.entity_id)}`,
    );
  }
  const known = client.entities();
  const domains = [...new Set(known.map((e) => e.entity_id.split(".")[0]!))].sort();
  if (input.domain === "homeassistant") {
    throw new JarvisError(
      "invalid_input",
      `ha_call_service: "all" and area pick entities of the service's domain, and homeassistant.${input.service} would reach every domain (locks and covers too). Call the domain's own service (light.turn_off) or list the entity ids. Nothing was sent.`,
    );
  }
  const ofDomain = known.filter((e) => e.entity_id.startsWith(`${input.domain}.`));
  if (!ofDomain.length) {
    throw new JarvisError(
      "not_found",
      `Home Assistant has no ${input.domain} entities, so nothing was sent. Domains with entities: ${domains.join(", ") || "none"}.`,
    );
  }
  const area = input.area;
  if (area === undefined) return ofDomain.map((e) => e.entity_id).sort();
  // A floor ("downstairs") stands for its areas.
  const places = placeAreas(client, area);
  if (!places) {
    const floors = client.floors().map((f) => f.name);
    throw new JarvisError(
      "not_found",
      `Home Assistant has no area ${area}, so nothing was sent. Areas: ${client.areas().join(", ") || "none"}${floors.length ? `; floors: ${floors.join(", ")}` : ""}.`,
    );
  }
  const inArea = ofDomain.filter((e) => inAreas(e, places));
  if (!inArea.length) {
    throw new JarvisError(
      "not_found",
      `Home Assistant has no ${input.domain} entities in ${area}, so nothing was sent. ha_list_entities lists what is there.`,
    );
  }
  return inArea.map((e) => e.entity_id).sort();
}

/**
 * The gate's target of a call: the domain when it names no entity, one id, or the list of ids it
 * acts on (a set: the policy decides each member, and a destructive set always asks).
 */
export function callServiceTarget(input: CallServiceInput, client: EntitySource): string | string[] {
  if (input.entity_id === undefined && input.area === undefined) return input.domain;
  const ids = resolveTargets(input, client);
  return ids.length === 1 && !picksEntities(input) ? ids[0]! : ids;
}
