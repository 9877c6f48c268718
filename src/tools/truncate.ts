/**
 * The one place tool output is bounded. Long strings are cut and long arrays shortened (the
 * largest first) until the JSON fits in `maxBytes`; what was cut is said in the data itself so a
 * model or a person reading it knows the result is partial.
 */
export interface Truncated {
  value: unknown;
  truncated: boolean;
}

const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? "");

function cutStrings(value: unknown, max: number): unknown {
  if (typeof value === "string") {
    return value.length > max
      ? `${value.slice(0, max)}… [${value.length - max} more characters truncated]`
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, max));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutStrings(v, max)]));
  }
  return value;
}

/** Finds the longest array inside `value` (by element count). */
function longestArray(value: unknown, best: unknown[] | null = null): unknown[] | null {
  if (Array.isArray(value)) {
    let found = value.length > (best?.length ?? 1) ? value : best;
    for (const item of value) found = longestArray(item, found);
    return found;
  }
  if (value && typeof value === "object") {
    let found = best;
    for (const item of Object.values(value)) found = longestArray(item, found);
    return found;
  }
  return best;
}

export function truncateOutput(value: unknown, maxBytes: number): Truncated {
  if (value === undefined || size(value) <= maxBytes) return { value, truncated: false };
  let out: unknown = structuredClone(value);
  for (let maxString = 4096; maxString >= 64 && size(out) > maxBytes; maxString = Math.floor(maxString / 4)) {
    out = cutStrings(value, maxString);
  }
  for (let guard = 0; guard < 64 && size(out) > maxBytes; guard++) {
    const array = longestArray(out);
    if (!array || array.length <= 1) break;
    const before = array.length;
    const keep = Math.max(1, Math.floor(before * Math.min(0.9, maxBytes / size(out))));
    array.splice(keep, before - keep, `… ${before - keep} more items truncated`);
  }
  if (size(out) > maxBytes) {
    const text = JSON.stringify(out);
    out = `${text.slice(0, Math.max(0, maxBytes - 64))}… [output truncated]`;
  }
  return { value: out, truncated: true };
}
