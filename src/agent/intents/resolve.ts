import type { Inventory } from "./inventory.ts";
import { distance, nameKey, normalize, oneTypoApart } from "./text.ts";

/** A resolved slot value and how sure the match is (1 exact, lower for fuzzy). */
export interface Resolution {
  value: unknown;
  score: number;
}

/** Finds the inventory name a phrase means: exact, then without separators, then by edit distance or prefix. */
export function fuzzyPick(phrase: string, names: readonly string[]): Resolution | undefined {
  const key = nameKey(phrase);
  if (!key) return undefined;
  const exact = names.find((n) => normalize(n) === normalize(phrase));
  if (exact) return { value: exact, score: 1 };
  const keyed = names.find((n) => nameKey(n) === key);
  if (keyed) return { value: keyed, score: 0.95 };
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(key, nameKey(name), 2);
    if (d <= (key.length >= 5 ? 2 : 1) && (!best || d < best.d)) best = { name, d };
  }
  if (best) return { value: best.name, score: 0.85 - best.d * 0.05 };
  const prefixed = names.filter((n) => key.length >= 3 && nameKey(n).startsWith(key));
  if (prefixed.length === 1) return { value: prefixed[0], score: 0.75 };
  // "the photos" → nas-photos, "the proxy" → nginx-proxy: a whole word of exactly one name.
  const words = normalize(phrase)
    .split(" ")
    .filter((w) => w.length >= 4 && !["the", "that", "this"].includes(w));
  const containing = names.filter(
    (n) =>
      words.length > 0 &&
      words.every((w) =>
        normalize(n)
          .split(/[\s_.-]+/)
          .some((part) => part === w || part === w.replace(/s$/, "") || oneTypoApart(part, w)),
      ),
  );
  if (containing.length === 1) return { value: containing[0], score: 0.7 };
  return undefined;
}

const domainWords: Record<string, string[]> = {
  light: ["light", "lights", "lamp", "lamps", "lighting"],
  switch: ["switch", "plug", "outlet"],
  climate: ["thermostat", "heating", "heater", "climate", "ac", "aircon"],
  lock: ["lock", "door"],
  cover: ["garage", "blind", "blinds", "shutter", "shutters", "cover", "door"],
  sensor: ["temperature", "sensor", "humidity"],
  media_player: ["tv", "television", "speaker", "player"],
};

const domainOf = (entityId: string) => entityId.slice(0, entityId.indexOf("."));

const stop = new Set(["the", "my", "a", "an", "all", "in", "on", "of", "is", "it"]);
const kindWords = new Set(Object.values(domainWords).flat());

/** Does a spoken word name this word of an entity (exactly, or with a one-letter typo)? */
const wordMatches = (spoken: string, word: string) =>
  spoken === word ||
  (word.length >= 5 && oneTypoApart(word, spoken)) ||
  (spoken.length >= 4 && word.startsWith(spoken));

/**
 * Resolves a Home Assistant entity from how people say it: "the kitchen lights" (an area and a
 * kind), "coffee maker" (a friendly name), "the heating" (the only entity of a kind),
 * "light.kitchen" (an id). Each candidate is scored by how many spoken words its name, id and
 * area account for; the kind ("lights", "lock") picks among candidates. `domains` narrows by intent.
 */
export function resolveEntity(
  phrase: string,
  inventory: Inventory,
  domains?: readonly string[],
): Resolution | undefined {
  const words = normalize(phrase)
    .split(" ")
    .filter((w) => !stop.has(w));
  if (words.length === 0) return undefined;
  const candidates = inventory.entities.filter((e) => !domains || domains.includes(domainOf(e.entity_id)));
  const byId = candidates.find((e) => e.entity_id === words.join(""));
  if (byId) return { value: byId.entity_id, score: 1 };
  const kinds = Object.entries(domainWords)
    .filter(([, ws]) => words.some((w) => ws.includes(w)))
    .map(([domain]) => domain);
  const content = words.filter((w) => !kindWords.has(w) || !kinds.length);
  let best: { id: string; score: number } | undefined;
  let tie = false;
  for (const entity of candidates) {
    const own = normalize(
      `${entity.name ?? ""} ${entity.entity_id.replace(/[._]/g, " ")} ${entity.area ?? ""}`,
    ).split(" ");
    const matched = content.filter((w) => own.some((o) => wordMatches(w, o))).length;
    const kindOk = kinds.length === 0 || kinds.includes(domainOf(entity.entity_id));
    const kindWordsMatched = words.filter((w) => kindWords.has(w) && own.includes(w)).length;
    let score = content.length ? matched / content.length : 0;
    if (!kindOk) score *= 0.5;
    if (content.length === 0 && kindOk) score = 0.6; // "the heating": only the kind was said
    score += kindWordsMatched * 0.01;
    if (!best || score > best.score + 1e-9) {
      best = { id: entity.entity_id, score };
      tie = false;
    } else if (Math.abs(score - best.score) <= 1e-9) tie = true;
  }
  if (!best || best.score < 0.5) return undefined;
  if (tie && content.length === 0) return undefined; // "the lights" with several lights: ask
  return { value: best.id, score: Math.min(1, best.score) * (tie ? 0.8 : 1) };
}

/** "2 hours", "30 min", "1 day" → hours (number). */
export function parseHours(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes|d|day|days)?$/.exec(
    normalize(text),
  );
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "h";
  return unit.startsWith("m") ? n / 60 : unit.startsWith("d") ? n * 24 : n;
}

/** "2 hours" → "2h" (a docker `since`). */
export function parseSince(text: string): string | undefined {
  const hours = parseHours(text);
  if (hours === undefined) return undefined;
  return hours < 1
    ? `${Math.round(hours * 60)}m`
    : Number.isInteger(hours)
      ? `${hours}h`
      : `${Math.round(hours * 60)}m`;
}

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

const dayWords = ["today", "tonight", "tomorrow", "yesterday", ...weekdays];

/** A one-word day with one typo is that day ("tomorow", "saturdy"). */
const dayWord = (t: string) => (t.includes(" ") ? t : (dayWords.find((w) => oneTypoApart(w, t)) ?? t));

/** "today", "tomorrow", "this week", "saturday" → a [from, to) range. */
export function parseDay(text: string, now: Date): { from: string; to: string } | undefined {
  const t = dayWord(normalize(text).replace(/^(on|for) /, ""));
  const day = startOfDay(now);
  const plus = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
  let from: Date | undefined;
  let days = 1;
  if (t === "today" || /^this (morning|afternoon|evening)$/.test(t) || t === "tonight") from = day;
  else if (t === "tomorrow") from = plus(day, 1);
  else if (t === "yesterday") from = plus(day, -1);
  else if (t === "this week" || t === "the week") {
    from = day;
    days = 7;
  } else if (t === "next week") {
    from = plus(day, 7 - day.getDay());
    days = 7;
  } else {
    const index = weekdays.indexOf(t);
    if (index >= 0) from = plus(day, (index - day.getDay() + 7) % 7 || 7);
  }
  return from ? { from: from.toISOString(), to: plus(from, days).toISOString() } : undefined;
}

/** "tomorrow at 9", "saturday 2 am", "today at 14:30" → an ISO start time. */
export function parseWhen(text: string, now: Date): string | undefined {
  const m = /^(.*?)\s*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(normalize(text));
  if (!m) return undefined;
  const range = parseDay(m[1] || "today", now);
  if (!range) return undefined;
  let hour = Number(m[2]);
  if (m[4] === "pm" && hour < 12) hour += 12;
  if (m[4] === "am" && hour === 12) hour = 0;
  if (hour > 23) return undefined;
  const start = new Date(range.from);
  start.setHours(hour, Number(m[3] ?? 0), 0, 0);
  return start.toISOString();
}

/** An hour and minute with am/pm applied; undefined past 23:59. */
function clock(hour: string, minute: string | undefined, meridiem: string | undefined) {
  let h = Number(hour);
  if (meridiem === "pm" && h < 12) h += 12;
  if (meridiem === "am" && h === 12) h = 0;
  return h > 23 || Number(minute ?? 0) > 59 ? undefined : { h, m: Number(minute ?? 0) };
}

/**
 * "saturday 2-4 am", "saturday 2–4 am" (normalised to "saturday 2 4 am"), "tomorrow from 9 to 11",
 * "friday 10 am to 1 pm" → an ISO start and end. The day is required (a bare "2 4" is not a span);
 * a start without am/pm takes the end's, unless that would put it after the end.
 */
export function parseSpan(text: string, now: Date): { start: string; end: string } | undefined {
  const t = normalize(text)
    .replace(/(\d)(am|pm)\b/g, "$1 $2")
    .replace(/(\d)-(\d)/g, "$1 to $2");
  const m =
    /^(.+?)\s+(?:from\s+|between\s+)?(\d{1,2})(?::(\d{2}))?(?:\s*(am|pm))?\s+(?:to\s+|until\s+|till\s+|and\s+)?(\d{1,2})(?::(\d{2}))?(?:\s*(am|pm))?$/.exec(
      t,
    );
  if (!m) return undefined;
  const range = parseDay(m[1]!, now);
  if (!range) return undefined;
  const end = clock(m[5]!, m[6], m[7]);
  let start = clock(m[2]!, m[3], m[4] ?? m[7]);
  if (!end || !start) return undefined;
  if (!m[4] && m[7] && start.h * 60 + start.m >= end.h * 60 + end.m) start = clock(m[2]!, m[3], undefined);
  if (!start || start.h * 60 + start.m >= end.h * 60 + end.m) return undefined;
  const at = ({ h, m: minute }: { h: number; m: number }) => {
    const d = new Date(range.from);
    d.setHours(h, minute, 0, 0);
    return d.toISOString();
  };
  return { start: at(start), end: at(end) };
}
