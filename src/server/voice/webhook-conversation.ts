import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";
import { runVoice } from "./run-voice.ts";

/**
 * The payload of the webhook-conversation custom integration (HACS, EuleMitKeule/webhook-conversation,
 * `models.py` / `entity.py`): Home Assistant's chat log as `messages` (`role` one of user, assistant,
 * system, tool_result), its `conversation_id`, `stream` when streaming is enabled, and optional
 * `query`, `system_prompt`, `user_id`, `exposed_entities` that Jarvis does not need.
 */
const WebhookPayload = z
  .object({
    conversation_id: z.string().min(1).max(200),
    messages: z
      .array(z.object({ role: z.string(), content: z.string().nullable().optional() }).loose())
      .max(500),
    query: z.string().max(20_000).nullable().optional(),
    stream: z.boolean().optional(),
  })
  .loose();

/**
 * POST /voice/webhook-conversation: answers the integration's request with `{"output": "<speech>"}`
 * (its default output field), or, with streaming enabled, NDJSON `{"type":"item","content":…}`
 * lines ending with `{"type":"end"}`. Home Assistant's conversation id is the conversation, so a
 * "confirm" in the same Assist conversation approves what Jarvis asked about.
 */
export function webhookConversationRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const body = await parseBody(c, WebhookPayload, "webhook-conversation request");
    const text = (body.query ?? body.messages.filter((m) => m.role === "user").at(-1)?.content ?? "").trim();
    if (!text) throw new JarvisError("invalid_input", "No user message in the webhook-conversation request");
    const principal = c.var.principal;
    const answer = await runVoice(jarvis, {
      conversationId: `ha-${body.conversation_id.replace(/[^\w-]/g, "_")}`,
      text,
      principal,
      signal: clientSignal(c),
    });
    if (!body.stream) return c.json({ output: answer.text });
    c.header("content-type", "application/x-ndjson");
    return stream(c, async (out) => {
      await out.write(`${JSON.stringify({ type: "item", content: answer.text })}\n`);
      await out.write(`${JSON.stringify({ type: "end" })}\n`);
    });
  });
}
