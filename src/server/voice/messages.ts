import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Turn } from "./conversation-keys.ts";

/** A chat message as OpenAI and Ollama clients send it; content a string or OpenAI's parts. */
export const ChatMessage = z
  .object({
    role: z.string().max(40),
    content: z
      .union([
        z.string().max(100_000),
        z.null(),
        z.array(
          z.union([z.object({ type: z.literal("text"), text: z.string() }).loose(), z.object({}).loose()]),
        ),
      ])
      .optional(),
  })
  .loose();
export type ChatMessage = z.infer<typeof ChatMessage>;

const textOf = (m: ChatMessage): string =>
  typeof m.content === "string"
    ? m.content
    : Array.isArray(m.content)
      ? m.content.map((p) => (typeof p.text === "string" ? p.text : "")).join(" ")
      : "";

/**
 * Splits a request's messages into the history (for finding the conversation) and the new user
 * message. Tool messages and tool definitions the caller sends are ignored: Jarvis runs its own.
 */
export function splitTurns(messages: ChatMessage[]): { history: Turn[]; text: string } {
  const turns = messages
    .filter((m) => m.role === "user" || m.role === "assistant" || m.role === "system")
    .map((m) => ({ role: m.role, text: textOf(m) }))
    .filter((t) => t.role === "system" || t.text.trim() !== "");
  const last = turns.at(-1);
  if (last?.role !== "user") {
    throw new JarvisError("invalid_input", "The last message must be the user's, with text");
  }
  return { history: turns.slice(0, -1), text: last.text.trim() };
}
