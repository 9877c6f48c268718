import { Secret } from "./secret.ts";

/** Keys whose values are secrets wherever they appear (arguments, env vars, log fields). */
const secretKey =
  /pass(word|wd|phrase)?$|secret|token|api[-_]?key|authorization|credential|private[-_]?key|^pin$/i;

/** True when a key (an argument name, an env var name) names a secret. */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** Values that are secrets whatever surrounds them; group 1, when present, is the part to hide. */
const secretValues: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, "a private key"],
  [/\b(?:sk|rk)-[A-Za-z0-9_-]{16,}/g, "an API key"],
  [/\b(?:ghp|gho|ghs|ghu|github_pat|glpat|xox[abpr]|jv)_[A-Za-z0-9_-]{16,}/g, "an access token"],
  [/\bAKIA[0-9A-Z]{16}\b/g, "an AWS access key"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, "a JSON web token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/gi, "a URL with a password"],
  [/\bbearer\s+([A-Za-z0-9._~+/-]{16,})/gi, "a bearer token"],
];

/** Words after "password is" that say where a secret lives rather than being one. */
const notAValue = new Set(
  "in on at under inside stored kept saved managed rotated the a an my our your their from set changed same not no none being now only also written".split(
    " ",
  ),
);

/** `password: hunter2`, `the wifi password is hunter2`, `API_KEY=abc`: a secret-named key and its value. */
const namedSecret =
  /\b([A-Za-z][\w-]*(?:[ _-](?:key|token|secret|password|passphrase|passwd|pin))?)(\s*(?:=|:)\s*|\s+(?:is|was)\s+)(["'`]?)([^\s"'`,;]+)/gi;

function isNamedSecret(key: string, separator: string, value: string): boolean {
  const lastWord = key.split(/[\s_-]/).at(-1)!;
  if (!isSecretKey(key.replace(/[\s-]/g, "_")) && !isSecretKey(lastWord)) return false;
  return /[=:]/.test(separator) || !notAValue.has(value.toLowerCase());
}

/**
 * Finds secrets inside free text (API keys, tokens, private keys, passwords in URLs, "password is
 * …") and returns the text with them replaced by ***, and what was found.
 */
export function redactText(text: string): { text: string; found: string[] } {
  const found: string[] = [];
  let out = text;
  for (const [pattern, what] of secretValues) {
    out = out.replace(pattern, (match, part?: unknown) => {
      found.push(what);
      return typeof part === "string" ? match.replace(part, "***") : "***";
    });
  }
  out = out.replace(namedSecret, (match, key: string, separator: string, quote: string, value: string) => {
    if (value === "***" || !isNamedSecret(key, separator, value)) return match;
    found.push(`a ${key.toLowerCase()}`);
    return `${key}${separator}${quote}***`;
  });
  return { text: out, found };
}

/**
 * A deep copy of `value` with secrets replaced by "***": Secret instances, the values of keys
 * that name secrets, and secrets found inside strings (`redactText`). Used for audit rows, logs and
 * anything a model may read.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Secret) return "***";
  if (typeof value === "string") return redactText(value).text;
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
