import { confirmation } from "../../agent/intents/confirm.ts";
import type { Jarvis } from "../../jarvis.ts";

/** What a voice turn does with a destructive call pending in its conversation. */
export type GuardOutcome =
  /** Nothing destructive is pending, or the answer is not a "yes": the turn goes on unchanged. */
  | { kind: "pass" }
  /** A "yes" with the right PIN: the agent gets a plain "confirm". */
  | { kind: "confirm" }
  /** A "yes" that may not approve by voice: Jarvis says why, and the approval stays pending. */
  | { kind: "refuse"; say: string };

/**
 * Destructive calls (unlocking a door, opening the garage) are never approved by voice alone: a
 * spoken "yes" approves them only with the owner's PIN (`JARVIS_VOICE_PIN`, "confirm 4321");
 * without a PIN they wait for the console, the app or the API.
 */
export async function guardDestructive(
  jarvis: Jarvis,
  conversationId: string,
  text: string,
): Promise<GuardOutcome> {
  const pin = jarvis.config.voice.pin?.reveal();
  const withoutPin = pin
    ? text
        .replace(new RegExp(`\\b${pin}\\b`), " ")
        .replace(/\s+/g, " ")
        .trim()
    : text;
  const saidPin = pin !== undefined && withoutPin !== text;
  if (confirmation(withoutPin || text) !== "approve") return { kind: "pass" };
  const waiting = (await jarvis.conversations.runs(conversationId)).filter(
    (r) => r.status === "awaiting-approval",
  );
  const pending = (await Promise.all(waiting.map((r) => jarvis.approvals.forRun(r.id))))
    .flat()
    .filter((a) => a.status === "pending");
  if (!pending.some((a) => a.risk === "destructive")) return { kind: "pass" };
  if (!pin) {
    return {
      kind: "refuse",
      say: "That one can't be approved by voice. Approve it in the Jarvis app or console; it is waiting there.",
    };
  }
  return saidPin ? { kind: "confirm" } : { kind: "refuse", say: "Say confirm and your PIN." };
}
