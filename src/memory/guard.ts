import { JarvisError } from "../errors.ts";
import { redactText } from "../redact.ts";

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
      const found = redactText(text).found[0];
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
