import { Secret } from "./secret.ts";

/** Keys whose values are secrets wherever they appear (arguments, env vars, log fields). */
const secretKey =
  /pass(word|wd|phrase)?$|secret|token|api[-_]?key|authorization|credential|private[-_]?key|^pin$/i;

/** True when a key (an argument name, an env var name) names a secret. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/**
 * A deep copy of `value` with secrets replaced by "***": Secret instances and the values of keys
 * that name secrets. Used for audit rows, logs and anything a model may read.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return "***";
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretKey(key) && item !== null && item !== undefined && item !== ""
        ? "***"
        : redact(item, depth + 1);
  }
  return out;
}
