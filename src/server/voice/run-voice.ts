import type { UIMessageChunk } from "ai";
import type { Jarvis } from "../../jarvis.ts";
import type { Principal } from "../../tools/define-tool.ts";
import { confirmPrompt } from "./confirm-prompt.ts";
import { guardDestructive } from "./destructive-guard.ts";
import { speakable } from "./speak.ts";

export interface VoiceAnswer {
  conversationId: string;
  /** The spoken answer: short, no markdown. */
  text: string;
  /** Set when the answer asks to confirm a call. */
  approvalId?: string;
}

/**
 * One voice turn: the user's words go through Jarvis's own agent loop (tools, gate, memory,
 * approvals) as `source: "voice"`, and the run's text becomes a short spoken answer. A call that
 * needs approval is asked for ("Turn off the kitchen? Say confirm."); "confirm" or "yes" next in
 * the same conversation approves exactly that call, anything else cancels it. Destructive calls
 * need the spoken PIN as well, or another surface when no PIN is configured.
 */
export async function runVoice(
  jarvis: Jarvis,
  input: { conversationId: string; text: string; principal: Principal; signal?: AbortSignal },
): Promise<VoiceAnswer> {
  const guard = await guardDestructive(jarvis, input.conversationId, input.text);
  if (guard.kind === "refuse") return { conversationId: input.conversationId, text: guard.say };
  const run = await jarvis.agent.send({
    conversationId: input.conversationId,
    text: guard.kind === "confirm" ? "confirm" : input.text,
    principal: input.principal,
    source: "voice",
    signal: input.signal,
  });
  let text = "";
  let error = "";
  let approval: { id: string; tool: string; target: string | null; args: unknown; risk: string } | undefined;
  const reader = run.stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value as UIMessageChunk;
    if (chunk.type === "text-delta") text += chunk.delta;
    else if (chunk.type === "text-end") text += "\n";
    else if (chunk.type === "error") error = chunk.errorText;
    else if (chunk.type === "data-approval") approval = chunk.data as typeof approval;
  }
  let spoken = speakable(text);
  if (approval) {
    const question = confirmPrompt(approval, jarvis.registry.get(approval.tool)?.title);
    const ask =
      approval.risk !== "destructive"
        ? question
        : jarvis.config.voice.pin
          ? question.replace("Say confirm.", "Say confirm and your PIN.")
          : question.replace("Say confirm.", "That needs approval in the Jarvis app or console.");
    spoken = spoken ? `${spoken} ${ask}` : ask;
  } else if (!spoken) {
    spoken = error ? speakable(`Sorry, that failed: ${error}`, 2) : "Done.";
  }
  return {
    conversationId: run.conversationId,
    text: spoken,
    ...(approval ? { approvalId: approval.id } : {}),
  };
}
