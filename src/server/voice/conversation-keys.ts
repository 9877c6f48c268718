import { createHash, randomUUID } from "node:crypto";

/** One turn as a voice client sends it: its role and text. */
export interface Turn {
  role: string;
  text: string;
}

/**
 * Voice clients that speak the OpenAI or Ollama APIs send the whole history each turn and no
 * conversation id. Jarvis remembers, per caller, the history it answered (the user and assistant
 * turns, not the system prompt, which Home Assistant rewrites with the time each turn), so the
 * next request that extends it continues the same server-side conversation, and with it any
 * approval waiting for "confirm".
 */
export function createConversationKeys(options: { ttlMs?: number; max?: number } = {}) {
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const max = options.max ?? 5000;
  const keys = new Map<string, { id: string; at: number }>();
  const keyOf = (owner: string, turns: Turn[]) =>
    createHash("sha256")
      .update(
        JSON.stringify([owner, turns.filter((t) => t.role !== "system").map((t) => [t.role, t.text.trim()])]),
      )
      .digest("hex");

  return {
    /** The conversation a request continues (its history minus the new message), or a new id. */
    find(owner: string, history: Turn[]): string {
      const hit = history.some((t) => t.role !== "system") ? keys.get(keyOf(owner, history)) : undefined;
      return hit && Date.now() - hit.at < ttlMs ? hit.id : `voice-${randomUUID()}`;
    },
    /** Remembers the history including this answer, for the next turn. */
    remember(owner: string, history: Turn[], conversationId: string) {
      if (keys.size >= max) keys.delete(keys.keys().next().value!);
      keys.set(keyOf(owner, history), { id: conversationId, at: Date.now() });
    },
  };
}
export type ConversationKeys = ReturnType<typeof createConversationKeys>;
