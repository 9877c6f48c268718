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

function scalarPairs(value: Record<string, unknown>, max = 6): string {
  return Object.entries(value)
    .filter(([, v]) => v !== null && ["string", "number", "boolean"].includes(typeof v))
    .slice(0, max)
    .map(([k, v]) => `${k.replace(/_/g, " ")} ${v}`)
    .join(", ");
}

/**
 * A short sentence for a result whose shape the intent does not know: a count and names for
 * lists, the main fields for objects.
 */
export function summarize(output: unknown, noun = "item"): string {
  if (output === undefined || output === null) return "Done.";
  if (typeof output !== "object") return String(output);
  const items = itemsOf(output);
  if (items.length > 0 || Array.isArray(output)) {
    return `${plural(items.length, noun)}: ${list(items.map(label))}.`;
  }
  const pairs = scalarPairs(output as Record<string, unknown>);
  return pairs ? `${pairs[0]!.toUpperCase()}${pairs.slice(1)}.` : "Done.";
}
