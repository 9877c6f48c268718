import type { Outcome } from "./intent.ts";

/** Joins names as "a, b and c". */
export function list(items: readonly string[], max = 8): string {
  if (items.length === 0) return "none";
  const shown = items.slice(0, max);
  const more = items.length - shown.length;
  const head = shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}` : shown[0]!;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : head;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The first outcome's failure said plainly, or undefined when it worked. */
export function failure(outcomes: Outcome[], what: string): string | undefined {
  const bad = outcomes.find((o) => o.denied || o.error);
  if (!bad) return undefined;
  if (bad.denied) return `OK, I did not ${what}: it was not approved.`;
  return `I could not ${what}: ${bad.error}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The first array in a result (a list of items), however the tool wrapped it. */
export function itemsOf(output: unknown): Record<string, unknown>[] {
  if (Array.isArray(output)) return output.filter(isRecord);
  if (isRecord(output)) {
    for (const value of Object.values(output)) if (Array.isArray(value)) return value.filter(isRecord);
  }
  return [];
}

const nameKeys = ["name", "title", "subject", "entity_id", "id", "job", "domain", "path", "file"];

/** A readable label for one item of a result. */
export function label(item: Record<string, unknown>): string {
  for (const key of nameKeys)
    if (typeof item[key] === "string" || typeof item[key] === "number") return String(item[key]);
  return JSON.stringify(item).slice(0, 60);
}

const salientKey =
  /^(status|state|health|smart|error|message|usedPercent|used_percent|percent|temperatureC|temperature|daysToExpiry|days_to_expiry|expires|count|size|uptime|load|version|user|title|at|when|start|from|snippet|subject|latencyMs)$/i;

/** 7281422532034 → "6.6 TiB". */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 3542400 → "41 days". */
export function duration(seconds: number): string {
  if (seconds >= 86_400) return plural(Math.round(seconds / 86_400), "day");
  if (seconds >= 3600) return plural(Math.round(seconds / 3600), "hour");
  if (seconds >= 60) return plural(Math.round(seconds / 60), "minute");
  return plural(Math.round(seconds), "second");
}

/** A field said the way a person would: units for bytes, durations and percentages. */
function fact(key: string, value: unknown): string {
  const name = key
    .replace(/(Bytes|Seconds|Percent)$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase()
    .trim();
  if (typeof value === "number") {
    if (/bytes$/i.test(key)) return `${name || "size"} ${bytes(value)}`;
    if (/seconds$/i.test(key)) return `${name || "duration"} ${duration(value)}`;
    if (/percent$/i.test(key)) return `${name || "used"} ${value} %`;
  }
  return `${name} ${String(value).slice(0, 200)}`;
}

/** The facts worth saying about an object: its salient fields, one level into nested objects. */
function facts(value: Record<string, unknown>, depth = 0): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (["string", "number", "boolean"].includes(typeof v) && (depth === 0 ? true : salientKey.test(key))) {
      if (depth === 0 && !salientKey.test(key) && out.length >= 4) continue;
      out.push(fact(key, v));
    } else if (depth === 0 && typeof v === "object" && !Array.isArray(v)) {
      const inner = facts(v as Record<string, unknown>, 1);
      if (inner.length)
        out.push(`${key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}: ${inner.join(", ")}`);
    }
  }
  return out.slice(0, 8);
}

/**
 * A short answer for a result whose shape the intent does not know: a count and the items with
 * their salient facts (status, errors, percentages…) for lists, the main facts for objects.
 */
export function summarize(output: unknown, noun = "item"): string {
  if (output === undefined || output === null) return "Done.";
  if (typeof output !== "object") return String(output);
  const items = itemsOf(output);
  if (items.length > 0 || Array.isArray(output)) {
    const described = items.slice(0, 8).map((item) => {
      const details = facts(item).filter((f) => !f.startsWith("name ") && !f.startsWith("id "));
      return `${label(item)}${details.length ? ` (${details.slice(0, 4).join("; ")})` : ""}`;
    });
    const more = items.length > 8 ? ` and ${items.length - 8} more` : "";
    return `${plural(items.length, noun)}: ${described.join("; ")}${more}.`;
  }
  const all = facts(output as Record<string, unknown>);
  return all.length ? `${all.join("; ")}.` : "Done.";
}
