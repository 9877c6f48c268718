import { JarvisError } from "../errors.ts";
import { isSecretKey } from "../redact.ts";

/** Values that are secrets whatever surrounds them. */
const secretValues: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}/, "an API key"],
  [/\b(?:ghp|gho|ghs|ghu|github_pat|glpat|xox[abpr]|jv)_[A-Za-z0-9_-]{16,}/, "an access token"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, "a JSON web token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, "a URL with a password"],
  [/\bbearer\s+[A-Za-z0-9._~+/-]{16,}/i, "a bearer token"],
];

/** Words after "password is" that describe where a secret lives rather than being one. */
const notAValue = new Set(
  "in on at under inside stored kept saved managed rotated the a an my our your their from set changed same not no none being now only also written".split(
    " ",
  ),
);

/** `password: hunter2`, `the wifi password is hunter2`, `API_KEY=abc`: a secret-named key with a value. */
function namedSecret(text: string): string | undefined {
  const pattern =
    /\b([A-Za-z][\w-]*(?:[ _-](?:key|token|secret|password|passphrase|passwd|pin))?)\s*(?:(=|:)\s*|\s+(?:is|was)\s+)(["'`]?)([^\s"'`,;]+)/gi;
  for (const match of text.matchAll(pattern)) {
    const [, key, symbol, , value] = match;
    const name = key!.replace(/[\s-]/g, "_");
    const lastWord = key!.split(/[\s_-]/).at(-1)!;
    if (!isSecretKey(name) && !isSecretKey(lastWord) && !/^pin$/i.test(lastWord)) continue;
    if (!symbol && notAValue.has(value!.toLowerCase())) continue;
    return `a ${key!.toLowerCase()}`;
  }
  return undefined;
}

/** Lines of the system prompt long enough that finding one in a memory means it was copied. */
function promptLines(prompt: string): string[] {
  return prompt
    .split(/(?<=[.!?:])\s+|\n+/)
    .map((line) => line.trim().toLowerCase().replace(/\s+/g, " "))
    .filter((line) => line.length >= 40);
}

export interface MemoryGuard {
  /** Throws invalid_input when `text` holds a secret or copies the system prompt. */
  check(text: string): void;
}

/**
 * Refuses memories that would leak: secrets (API keys, tokens, passwords, private keys; the same
 * key names `redact` hides) and text from the system prompt. Saying where a secret lives ("the
 * wifi password is in Bitwarden") is fine; the secret itself is not.
 */
export function createMemoryGuard(options: { systemPrompt?: string } = {}): MemoryGuard {
  const lines = promptLines(options.systemPrompt ?? "");
  return {
    check(text) {
      const found = secretValues.find(([re]) => re.test(text))?.[1] ?? namedSecret(text);
      if (found) {
        throw new JarvisError(
          "invalid_input",
          `Not stored: the text looks like it contains ${found}. Jarvis never keeps secrets in memory; ` +
            "remember where the secret is kept instead (for example, in the password manager).",
        );
      }
      const normal = text.toLowerCase().replace(/\s+/g, " ");
      if (lines.some((line) => normal.includes(line))) {
        throw new JarvisError(
          "invalid_input",
          "Not stored: the text repeats Jarvis's system prompt, which is never kept as memory.",
        );
      }
    },
  };
}
