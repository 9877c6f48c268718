import { failure, list } from "../answers.ts";
import { intent, type Outcome, type Slots } from "../intent.ts";
import { coverServices } from "./ha-words.ts";

/** Where a sentence says it happens: the whole house (no area), or one area. */
const where = [
  "[in the house|in the home|in the whole house|in the entire house|throughout the house|all over the house|everywhere]",
  "in [the] {area}",
];

/** "(verb) all the (kind) (where)" and its word orders, for one verb slot. */
function sentences(verb: string, kinds: string): string[] {
  return where.flatMap((place) => [
    `${verb} (all|every|each) [of] [the|my] ${kinds} ${place} [please|now]`,
    `(all|every) [of] [the|my] ${kinds} ${place} ${verb} [please|now]`,
    `(all|every) [of] [the|my] ${kinds} ${verb} ${place} [please|now]`,
  ]);
}

/** The call: every entity of the domain, or of the domain in the area that was named. */
const planAll = (domain: string, service: unknown, s: Slots) => [
  {
    tool: "ha_call_service",
    args: { domain, service, ...(s.area ? { area: s.area } : { entity_id: "all" }) },
  },
];

const plurals: Record<string, string> = {
  light: "lights",
  switch: "switches",
  fan: "fans",
  cover: "covers",
  lock: "locks",
};

/** "3 lights (bedroom, kitchen and living room)", "the kitchen light": what the result names. */
function which(o: Outcome[], domain: string, s: Slots): string {
  const entities = (o[0]?.output as { entities?: Array<{ entity_id?: unknown }> } | undefined)?.entities;
  const area = String(s.area ?? "").toLowerCase();
  // "downstairs" is said as it is; "kitchen" as "in the kitchen".
  const place = !area ? "" : /stairs$/.test(area) ? ` ${area}` : ` in the ${area}`;
  const many = plurals[domain] ?? domain;
  if (!Array.isArray(entities) || !entities.length) return `all the ${many}${place}`;
  const names = entities.map((e) => String(e.entity_id).split(".")[1]!.replace(/_/g, " "));
  return names.length === 1
    ? `the ${names[0]} ${domain}`
    : `${names.length} ${many}${place} (${list(names)})`;
}

const on = { on: "turn_on", off: "turn_off", of: "turn_off" };

/**
 * "Turn off all the lights", "all lights off", "switch off every light in the house", "turn off
 * all the lights in the kitchen", "turn off the lights downstairs" (an area named downstairs):
 * one call on every entity of a domain (entity_id "all") or of an area, which ha_call_service
 * resolves to the entities it knows, so the approval names each one.
 */
export const haAllIntents = [
  intent({
    name: "ha.power_all",
    templates: [
      ...sentences("(turn|switch|power) {service}", "{kind}"),
      "(turn|switch|power) (all|every|each) [of] [the|my] {kind} {service} [in [the] {area}] [please|now]",
      "(all|every) [of] [the|my] {kind} {service} [in the house|in the whole house|everywhere]",
      "(all|every) [of] [the|my] {kind} {service} in [the] {area}",
      "(turn|switch|power) {service} [the|my] {kind} (everywhere|in the whole house|in the entire house|throughout the house|all over the house)",
      "(turn|switch|power) [the|my] {kind} {service} (everywhere|in the whole house|in the entire house|throughout the house|all over the house)",
      "(turn|switch|power) {service} [the|my] {kind} {area} [please|now]",
      "[the|my] {kind} {area} {service} [please|now]",
    ],
    slots: {
      service: { type: "word", values: on },
      kind: {
        type: "word",
        values: {
          light: "light",
          lights: "light",
          lamp: "light",
          lamps: "light",
          switch: "switch",
          switches: "switch",
          plug: "switch",
          plugs: "switch",
          fan: "fan",
          fans: "fan",
        },
      },
      area: "area",
    },
    plan: (s) => planAll(String(s.kind), s.service, s),
    answer: (s, o) => {
      const how = s.service === "turn_on" ? "on" : "off";
      const kind = String(s.kind);
      return (
        failure(o, `switch ${how} the ${plurals[kind] ?? kind}`) ??
        `Done: turned ${how} ${which(o, kind, s)}.`
      );
    },
  }),
  intent({
    name: "ha.cover_all",
    templates: sentences("{service}", "{kind}"),
    slots: {
      service: {
        type: "word",
        values: coverServices,
      },
      kind: {
        type: "word",
        values: {
          blind: "cover",
          blinds: "cover",
          shutter: "cover",
          shutters: "cover",
          cover: "cover",
          covers: "cover",
          curtains: "cover",
          "garage doors": "cover",
        },
      },
      area: "area",
    },
    plan: (s) => planAll("cover", s.service, s),
    answer: (s, o) =>
      failure(o, `${s.service === "open_cover" ? "open" : "close"} the covers`) ??
      `${s.service === "open_cover" ? "Opening" : "Closing"} ${which(o, "cover", s)}.`,
  }),
  intent({
    name: "ha.lock_all",
    templates: sentences("{service}", "(lock|locks|door|doors)"),
    slots: { service: { type: "word", values: { lock: "lock", unlock: "unlock" } }, area: "area" },
    plan: (s) => planAll("lock", s.service, s),
    answer: (s, o) =>
      failure(o, `${s.service} the doors`) ??
      `${s.service === "unlock" ? "Unlocked" : "Locked"} ${which(o, "lock", s)}.`,
  }),
];
