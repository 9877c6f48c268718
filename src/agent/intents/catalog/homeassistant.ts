import { failure, itemsOf, list, plural, summarize } from "../answers.ts";
import { intent } from "../intent.ts";
import { coverServices } from "./ha-words.ts";
import { haAllIntents } from "./homeassistant-all.ts";

const domainOf = (id: unknown) => String(id).split(".")[0]!;
const nameOf = (id: unknown) => String(id).split(".")[1]!.replace(/_/g, " ");
/** "on" of a door sensor is "opened"; of a light, "turned on". */
const verb = (id: unknown, state: string) =>
  /^(binary_sensor|cover|lock)$/.test(domainOf(id))
    ? state === "unlocked"
      ? "unlocked"
      : "opened"
    : `turned ${state}`;

/** A thermostat: its state is the mode (heat, off); the temperatures are attributes. */
function describeClimate(st: { entity_id?: string; state?: unknown; attributes?: Record<string, unknown> }) {
  const a = st.attributes ?? {};
  const name = String(a.friendly_name ?? nameOf(st.entity_id));
  const unit = typeof a.unit_of_measurement === "string" ? ` ${a.unit_of_measurement}` : " degrees";
  const parts = [
    typeof a.current_temperature === "number" ? `is at ${a.current_temperature}${unit}` : "",
    typeof a.temperature === "number" ? `set to ${a.temperature}${unit}` : "",
    `mode ${String(st.state)}${typeof a.hvac_action === "string" ? `, ${a.hvac_action}` : ""}`,
  ].filter(Boolean);
  return `${name} ${parts.join(", ")}.`;
}

export const haIntents = [
  // Before ha.power: "turn off all the lights in the kitchen" is the area, not the one kitchen light.
  ...haAllIntents,
  intent({
    name: "ha.power",
    templates: [
      "(turn|switch|power) {service} [the] {entity} [please|now]",
      "(turn|switch|power) [the] {entity} {service} [please|now]",
      "[please] {entity} {service} [please]",
      "{service} [the] {entity}",
      "[the] (light|lights) {service} in [the] {entity} [please]",
      "(turn|switch) {service} [the] (light|lights) in [the] {entity} [please]",
    ],
    slots: {
      service: {
        type: "word",
        values: { on: "turn_on", off: "turn_off", of: "turn_off", start: "turn_on", stop: "turn_off" },
      },
      entity: { type: "entity", domains: ["light", "switch", "fan", "media_player", "climate"] },
    },
    plan: (s) => [
      {
        tool: "ha_call_service",
        args: { domain: domainOf(s.entity), service: s.service, entity_id: s.entity },
      },
    ],
    answer: (s, o) =>
      failure(o, `switch ${nameOf(s.entity)}`) ??
      `Done: ${nameOf(s.entity)} is ${s.service === "turn_on" ? "on" : "off"}.`,
  }),
  intent({
    name: "ha.brightness",
    templates: [
      "(dim|brighten|set|turn) [the] {entity} [light|lights] to {number} [percent|%]",
      "(dim|brighten|set|turn) [the] (light|lights) in [the] {entity} to {number} [percent|%]",
      "{entity} [light|lights] to {number} [percent|%]",
    ],
    slots: { entity: { type: "entity", domains: ["light"] }, number: "number" },
    plan: (s) => [
      {
        tool: "ha_call_service",
        args: {
          domain: "light",
          service: "turn_on",
          entity_id: s.entity,
          data: { brightness_pct: Math.min(100, Number(s.number)) },
        },
      },
    ],
    answer: (s, o) =>
      failure(o, `dim ${nameOf(s.entity)}`) ??
      `Done: ${nameOf(s.entity)} is at ${Math.min(100, Number(s.number))} percent.`,
  }),
  intent({
    name: "ha.media",
    templates: [
      "[please] {service} [the] {entity} [please|now]",
      "{service} [playback|music] on [the] {entity}",
    ],
    slots: {
      service: {
        type: "word",
        values: { pause: "media_pause", play: "media_play", resume: "media_play", unpause: "media_play" },
      },
      entity: { type: "entity", domains: ["media_player"] },
    },
    plan: (s) => [
      { tool: "ha_call_service", args: { domain: "media_player", service: s.service, entity_id: s.entity } },
    ],
    answer: (s, o) =>
      failure(o, `control ${nameOf(s.entity)}`) ??
      `${s.service === "media_pause" ? "Paused" : "Playing"} ${nameOf(s.entity)}.`,
  }),
  intent({
    name: "ha.lock",
    templates: [
      "[please] {service} [the] {entity} [please|now]",
      // Who it is for does not change the call: "unlock the front door for the plumber".
      "[please] {service} [the] {entity} for {someone} [please|now]",
    ],
    slots: {
      // Home Assistant's own sentences open a lock: "open the front door lock" unlocks it.
      service: { type: "word", values: { lock: "lock", unlock: "unlock", open: "unlock" } },
      someone: "text",
      entity: { type: "entity", domains: ["lock"] },
    },
    plan: (s) => [
      { tool: "ha_call_service", args: { domain: "lock", service: s.service, entity_id: s.entity } },
    ],
    answer: (s, o) =>
      failure(o, `${s.service} the ${nameOf(s.entity)}`) ??
      `The ${nameOf(s.entity)} is ${s.service === "unlock" ? "unlocked" : "locked"}.`,
  }),
  intent({
    name: "ha.cover",
    templates: [
      "[please] {service} [the] {entity} [please|now]",
      "[please] {service} [the] {entity} for {someone} [please|now]",
    ],
    slots: {
      service: {
        type: "word",
        values: coverServices,
      },
      entity: { type: "entity", domains: ["cover"] },
      someone: "text",
    },
    plan: (s) => [
      { tool: "ha_call_service", args: { domain: "cover", service: s.service, entity_id: s.entity } },
    ],
    answer: (s, o) =>
      failure(o, `move the ${nameOf(s.entity)}`) ??
      `The ${nameOf(s.entity)} is ${s.service === "open_cover" ? "opening" : "closing"}.`,
  }),
  intent({
    name: "ha.climate",
    templates: [
      "set [the] {entity} to {number} [degrees|celsius]",
      "(heat|cool) [the] {entity} to {number} [degrees|celsius]",
      "make [the] {entity} {number} degrees",
    ],
    slots: { entity: { type: "entity", domains: ["climate"] }, number: "number" },
    plan: (s) => [
      {
        tool: "ha_call_service",
        args: {
          domain: "climate",
          service: "set_temperature",
          entity_id: s.entity,
          data: { temperature: s.number },
        },
      },
    ],
    answer: (s, o) => failure(o, "set the temperature") ?? `Set ${nameOf(s.entity)} to ${s.number} degrees.`,
  }),
  intent({
    name: "ha.state",
    templates: [
      "(whats|what is) the (temperature|temp) [outside|outdoors]",
      "how (warm|cold|hot) is it [outside|outdoors]",
      "(whats|what is|is) the {entity} (state|status|on|off|open|closed|locked|unlocked|doing|set to)",
      "(is|are) [the] {entity} (on|off|open|closed|locked|unlocked|playing)",
      "(whats|what is) the {entity}",
      "how (warm|cold|hot) is it in [the] {entity}",
      "(whats|what is) the (temperature|temp) in [the] {entity}",
      "is it (cold|warm|hot) (out|outside)",
      "did i leave [the] {entity} open",
    ],
    slots: { entity: { type: "entity" } },
    plan: (s, ctx) => {
      const id =
        s.entity ??
        ctx.inventory.entities.find(
          (e) => /outdoor|outside/.test(e.entity_id) && e.entity_id.startsWith("sensor."),
        )?.entity_id;
      return id
        ? [{ tool: "ha_get_state", args: { entity_id: id } }]
        : [{ tool: "ha_list_entities", args: { domain: "sensor", query: "temperature" } }];
    },
    answer: (_s, o) => {
      const bad = failure(o, "read the state");
      if (bad) return bad;
      const st = o[0]?.output as
        | {
            entity_id?: string;
            state?: unknown;
            attributes?: { unit_of_measurement?: string; friendly_name?: string };
          }
        | undefined;
      if (st?.state !== undefined && domainOf(st.entity_id ?? o[0]?.args.entity_id) === "climate")
        return describeClimate(st);
      if (st?.state !== undefined) {
        const name = st.attributes?.friendly_name ?? nameOf(st.entity_id ?? o[0]?.args.entity_id);
        return `${name} is ${String(st.state)}${st.attributes?.unit_of_measurement ? ` ${st.attributes.unit_of_measurement}` : ""}.`;
      }
      return summarize(o[0]?.output, "entity");
    },
  }),
  intent({
    name: "ha.history",
    templates: [
      "(was|has) [the] {entity} (opened|open|closed|on|off|triggered|unlocked|used) [in the last {hours}|today|in the past {hours}|recently]",
      "(show|what is|whats) [the] history of [the] {entity} [for the last {hours}]",
      "when was [the] {entity} last (opened|open|on|triggered|used)",
    ],
    slots: { entity: { type: "entity" }, hours: "hours" },
    plan: (s, ctx) => {
      let id = String(s.entity);
      // "was the front door opened": the door's contact sensor knows, not its lock.
      if (id.startsWith("lock.")) {
        const contact = ctx.inventory.entities.find(
          (e) => e.entity_id.startsWith("binary_sensor.") && e.entity_id.includes(id.split(".")[1]!),
        );
        if (contact) id = contact.entity_id;
      }
      return [{ tool: "ha_history", args: { entity_id: id, hours: s.hours ?? 24 } }];
    },
    answer: (_s, o) => {
      const bad = failure(o, "read the history");
      if (bad) return bad;
      const changes = itemsOf(o[0]?.output);
      const when = (c: Record<string, unknown>) =>
        c.last_changed ?? c.lastChanged ?? c.at ?? c.time ?? c.when;
      const opened = changes.filter((c) => /^(on|open|opening|unlocked)$/.test(String(c.state)));
      const head = opened.length
        ? `Yes: ${nameOf(o[0]?.args.entity_id)} was ${verb(o[0]?.args.entity_id, String(opened.at(-1)!.state))} ${plural(opened.length, "time")}, last at ${String(when(opened.at(-1)!) ?? "?")}`
        : `No: ${nameOf(o[0]?.args.entity_id)} was not opened or turned on`;
      return `${head} in the last ${o[0]?.args.hours} hours (${plural(changes.length, "change")}${changes.length ? `: ${list(changes.map((c) => `${String(c.state)}${when(c) ? ` at ${String(when(c))}` : ""}`))}` : ""}).`;
    },
  }),
  intent({
    name: "ha.list",
    templates: [
      "(list|show|which|what) [are] [the|my|all] {kind} [are on|are there|do i have] [in [the] {area}]",
      "(whats|what is) (on|in) [the] {area}",
      "(which|what) (lights|devices) are on",
      "(what|which) {kind} (are|is) (in|on) [the] {area}",
      "what have i got in [the] {area}",
      "(which|what) devices are in [the] {area}",
      "list all [my] home assistant (devices|entities)",
    ],
    slots: {
      kind: {
        type: "word",
        values: {
          lights: "light",
          switches: "switch",
          sensors: "sensor",
          entities: "",
          devices: "",
          locks: "lock",
          covers: "cover",
          "media players": "media_player",
        },
      },
      area: "area",
    },
    plan: (s) => [
      {
        tool: "ha_list_entities",
        args: { ...(s.kind ? { domain: s.kind } : {}), ...(s.area ? { area: s.area } : {}) },
      },
    ],
    answer: (_s, o) =>
      failure(o, "list the entities") ?? summarize(o[0]?.output, "entity").replace(/entitys/, "entities"),
  }),
  intent({
    name: "ha.notify",
    templates: [
      "(notify|ping|alert) [me|my phone] [that|saying|with] {message}",
      "send [me] a notification [that|saying] {message}",
      "(remind|tell) me [on my phone] (that|to) {message}",
      "send [me] a (notification|push notification|push|message) to (my phone|me|my mobile) [that|saying] {message}",
    ],
    slots: { message: "text" },
    plan: (s) => [{ tool: "ha_notify", args: { message: s.message } }],
    answer: (_s, o) => failure(o, "send the notification") ?? "Sent the notification.",
  }),
];
