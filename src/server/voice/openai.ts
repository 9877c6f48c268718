import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";
import type { ConversationKeys } from "./conversation-keys.ts";
import { ChatMessage, splitTurns } from "./messages.ts";
import { runVoice } from "./run-voice.ts";

/** The one model Jarvis offers: itself. */
export const voiceModelId = "jarvis";

const CompletionRequest = z
  .object({
    model: z.string().max(200).optional(),
    messages: z.array(ChatMessage).min(1).max(500),
    stream: z.boolean().optional(),
    /** OpenAI's end-user id; used as the conversation when given. */
    user: z.string().max(200).optional(),
  })
  .loose();

/**
 * The OpenAI-compatible voice API (`/v1/models`, `/v1/chat/completions`, streaming and not), for
 * Extended OpenAI Conversation, Open WebUI and scripts. Every request runs Jarvis's own loop; the
 * caller's tools and system prompt are ignored. Wire format: the Chat Completions API reference
 * (https://platform.openai.com/docs/api-reference/chat).
 */
export function openAIRoutes(jarvis: Jarvis, keys: ConversationKeys) {
  return new Hono<AppEnv>()
    .get("/models", (c) =>
      c.json({
        object: "list",
        data: [{ id: voiceModelId, object: "model", created: 1_767_225_600, owned_by: "jarvis" }],
      }),
    )
    .post("/chat/completions", async (c) => {
      const body = await parseBody(c, CompletionRequest, "chat completion request");
      const { history, text } = splitTurns(body.messages);
      const principal = c.var.principal;
      const conversationId = c.req.header("x-jarvis-conversation-id") ?? keys.find(principal.id, history);
      const answer = await runVoice(jarvis, { conversationId, text, principal, signal: clientSignal(c) });
      keys.remember(
        principal.id,
        [...history, { role: "user", text }, { role: "assistant", text: answer.text }],
        answer.conversationId,
      );
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const model = body.model ?? voiceModelId;
      c.header("x-jarvis-conversation-id", answer.conversationId);
      if (!body.stream) {
        return c.json({
          id,
          object: "chat.completion",
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: answer.text },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        });
      }
      const chunk = (delta: Record<string, unknown>, finish: string | null) =>
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        });
      return streamSSE(c, async (sse) => {
        await sse.writeSSE({ data: chunk({ role: "assistant", content: "" }, null) });
        await sse.writeSSE({ data: chunk({ content: answer.text }, null) });
        await sse.writeSSE({ data: chunk({}, "stop") });
        await sse.writeSSE({ data: "[DONE]" });
      });
    });
}
