import { failure, itemsOf, list } from "../answers.ts";
import { type IntentContext, intent, type Slots } from "../intent.ts";

const nameOf = (id: unknown) => String(id).split(".")[1]?.replace(/_/g, " ") ?? String(id);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Attributes people ask about by name: the Home Assistant attribute that holds each. */
const attributes: Record<string, string> = {
  battery: "battery_level",
  "battery level": "battery_level",
  brightness: "brightness",
  position: "current_position",
  humidity: "current_humidity",
  volume: "volume_level",
};
const units: Record<string, string> = { battery_level: " %", current_position: " %", current_humidity: " %" };

/** The entity said, or for "outside" questions the outdoor temperature sensor. */
function entityOrOutdoor(s: Slots, ctx: IntentContext): string | undefined {
  if (typeof s.entity === "string") return s.entity;
  return ctx.inventory.entities.find(
    (e) => e.entity_id.startsWith("sensor.") && /outdoor|outside/.test(e.entity_id),
  )?.entity_id;
}

/** Hours back to midnight for "this morning" and "today", 12 for the night, else a day. */
function hoursFor(period: unknown, now: Date): number {
  if (period === "today") return now.getHours() + 1;
  if (period === "night") return 12;
  return 24;
}

/**
 * Questions Home Assistant answers from one entity: an attribute ("the battery on the front door
 * lock"), who changed it (the history says when, not who: said plainly), and how low or high a
 * sensor went ("how cold did it get outside this morning", from the history's numeric states).
 */
export const haQuestionIntents = [
  intent({
    name: "ha.attribute",
    templates: [
      "(how is|hows|whats|what is|check) the {attribute} (on|of|for|in) [the] {entity}",
      "(whats|what is|hows|how is) [the] {entity} {attribute} [level]",
      "how much {attribute} (does|has) [the] {entity} [have|got] [left]",
    ],
    slots: { entity: { type: "entity" }, attribute: { type: "word", values: attributes } },
    plan: (s) => [{ tool: "ha_get_state", args: { entity_id: s.entity } }],
    answer: (s, o) => {
      const bad = failure(o, "read the state");
      if (bad) return bad;
      const st = o[0]?.output as { name?: string; attributes?: Record<string, unknown> } | undefined;
      const name = st?.name ?? nameOf(s.entity);
      const key = String(s.attribute);
      const value = st?.attributes?.[key];
      const said = key.replace(/_level$|^current_/, "").replace(/_/g, " ");
      return value === undefined || value === null
        ? `${name} reports no ${said}.`
        : `${name}'s ${said} is ${String(value)}${units[key] ?? ""}.`;
    },
  }),
  intent({
    name: "ha.who",
    templates: [
      "who (unlocked|locked|opened|closed|turned on|turned off|switched on|switched off|used) [the] {entity} [earlier|today|recently|last|this morning|last night]",
    ],
    slots: { entity: { type: "entity" } },
    plan: (s) => [{ tool: "ha_history", args: { entity_id: s.entity, hours: 24 } }],
    answer: (s, o) => {
      const bad = failure(o, "read the history");
      if (bad) return bad;
      const changes = itemsOf(o[0]?.output).map((c) => `${String(c.state)} at ${String(c.at ?? "?")}`);
      const name = (o[0]?.output as { name?: string } | undefined)?.name ?? nameOf(s.entity);
      return `Home Assistant's history records when, not who. ${name} in the last 24 hours: ${changes.length ? list(changes) : "no changes"}.`;
    },
  }),
  intent({
    name: "ha.extreme",
    templates: [
      "how (cold|warm|hot) did it get [outside|outdoors|out] [{period}]",
      "how (cold|warm|hot) did [it get in] [the] {entity} get [{period}]",
      "(whats|what was|what is) the (lowest|highest|coldest|warmest|min|max|minimum|maximum) {entity} [{period}]",
      "(whats|what was|what is) the (lowest|highest|coldest|warmest|min|max|minimum|maximum) (temperature|temp) [outside|outdoors] [{period}]",
    ],
    slots: {
      entity: { type: "entity", domains: ["sensor"] },
      period: {
        type: "word",
        values: { "this morning": "today", today: "today", overnight: "night", "last night": "night" },
      },
    },
    plan: (s, ctx) => {
      const id = entityOrOutdoor(s, ctx);
      return id ? [{ tool: "ha_history", args: { entity_id: id, hours: hoursFor(s.period, ctx.now) } }] : [];
    },
    answer: (_s, o) => {
      const bad = failure(o, "read the history");
      if (bad) return bad;
      const out = o[0]?.output;
      if (!isRecord(out)) return "I found no temperature sensor to read.";
      const numeric = itemsOf(out)
        .map((c) => ({ value: Number(c.state), at: String(c.at ?? "?") }))
        .filter((c) => Number.isFinite(c.value));
      if (!numeric.length)
        return `${String(out.name ?? nameOf(out.entity_id))} has no readings in that time.`;
      const low = numeric.reduce((a, b) => (b.value < a.value ? b : a));
      const high = numeric.reduce((a, b) => (b.value > a.value ? b : a));
      return `${String(out.name ?? nameOf(out.entity_id))} over the last ${String(out.hours ?? o[0]?.args.hours)} hours: lowest ${low.value} at ${low.at}, highest ${high.value} at ${high.at}.`;
    },
  }),
];
