import { JarvisError } from "../errors.ts";
import { type Scope, ScopeType } from "./types.ts";

/**
 * Parses a scope as people and models write it: `global`, `host:nas-box`, `service:plex`,
 * `entity:light.kitchen`, `user:alice`. A bare name (`plex`) means a service or container when
 * remembering, and any scope with that value when searching (`type: null`).
 */
export function parseScope(text: string | undefined): { type: ScopeType | null; value: string | null } {
  const raw = text?.trim();
  if (!raw || raw.toLowerCase() === "global") return { type: "global", value: null };
  const colon = raw.indexOf(":");
  if (colon > 0) {
    const type = ScopeType.safeParse(raw.slice(0, colon).toLowerCase());
    const value = raw.slice(colon + 1).trim();
    if (!type.success || type.data === "global" || !value) {
      throw new JarvisError(
        "invalid_input",
        `Invalid scope "${raw}": use global, host:<name>, service:<name>, entity:<id>, user:<name> or a bare name`,
      );
    }
    return { type: type.data, value: value.toLowerCase() };
  }
  return { type: null, value: raw.toLowerCase() };
}

/** The scope to store a new memory under (a bare name is a service). */
export function scopeForWrite(text: string | undefined): Scope {
  const parsed = parseScope(text);
  return { type: parsed.type ?? "service", value: parsed.value };
}

/** `global` or `type:value`, as shown to people and models. */
export function formatScope(type: string, value: string | null): string {
  return type === "global" || value === null ? "global" : `${type}:${value}`;
}
