import { globToRegExp } from "../src/agent/policy.ts";

/**
 * Matching used by both world responses (`when`) and case expectations (`args`): a deep partial
 * match where every key the expectation names must be present and equal in the actual value,
 * strings compare case-insensitively (a model that writes "Plex" meant plex), and arrays match
 * element by element with equal lengths. An expected `null` also accepts a missing value.
 */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof expected === "string") {
    return typeof actual === "string" && expected.toLowerCase() === actual.toLowerCase();
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((item, i) => matchesSubset(item, actual[i]))
    );
  }
  if (typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([key, value]) =>
      matchesSubset(value, record[key]),
    );
  }
  return Object.is(expected, actual);
}

/** A tool name against a name or a glob (`docker_*`), case-sensitive as tool names are. */
export function toolMatches(pattern: string, tool: string): boolean {
  return pattern.includes("*") || pattern.includes("?") ? globToRegExp(pattern).test(tool) : pattern === tool;
}

/** `tool {"a":1}`: how calls appear in failure reasons. */
export function describeCall(call: { tool: string; args?: unknown }): string {
  const args = call.args === undefined ? "" : ` ${JSON.stringify(call.args)}`;
  return `${call.tool}${args}`;
}
