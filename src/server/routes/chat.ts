import { createUIMessageStreamResponse } from "ai";
import { Hono } from "hono";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { followRun } from "../../events/follow-run.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";

const TextPart = z.object({ type: z.literal("text"), text: z.string().max(20_000) });
const UserMessage = z.object({
  id: z.string().max(200).optional(),
  role: z.literal("user"),
  parts: z.array(z.union([TextPart, z.object({ type: z.string() }).loose()])).max(50),
});

/**
 * The body of POST /api/chat. An AI SDK `Chat` sends `{id, message}` with
 * `prepareSendMessagesRequest`; a default transport sends `{id, messages}` and only the last
 * message is used. History is never taken from the client.
 */
const ChatBody = z
  .object({
    id: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\w-]+$/, "letters, digits, '_' or '-'")
      .optional(),
    message: UserMessage.optional(),
    messages: z.array(z.unknown()).optional(),
    approval: z
      .strictObject({
        id: z.string().min(1).max(200),
        decision: z.enum(["approve", "deny"]),
        reason: z.string().max(2000).optional(),
      })
      .optional(),
  })
  .loose();

function textOf(message: z.infer<typeof UserMessage> | undefined): string | undefined {
  const parts = message?.parts.filter((p): p is z.infer<typeof TextPart> => p.type === "text") ?? [];
  return parts.map((p) => p.text).join("\n") || undefined;
}

/**
 * POST /api/chat (AI SDK UI message stream over SSE), GET /api/chat/:id/stream (the AI SDK's
 * resume: follows the conversation's current run, wherever it runs), GET /api/conversations[/:id].
 */
export function chatRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>()
    .post("/chat", async (c) => {
      const body = await parseBody(c, ChatBody, "chat request");
      let message = body.message;
      if (!message && body.messages?.length) {
        const last = UserMessage.safeParse(body.messages.at(-1));
        if (last.success) message = last.data;
      }
      if (!message && !body.approval)
        throw new JarvisError("invalid_input", "Send a user message or an approval decision");
      const run = await jarvis.agent.send({
        conversationId: body.id,
        text: textOf(message),
        messageId: message?.id,
        approval: body.approval,
        principal: c.var.principal,
        source: "chat",
        signal: clientSignal(c),
      });
      return createUIMessageStreamResponse({
        stream: run.stream,
        headers: {
          "x-jarvis-conversation-id": run.conversationId,
          ...(run.runId ? { "x-jarvis-run-id": run.runId } : {}),
        },
      });
    })
    .get("/chat/:id/stream", async (c) => {
      const id = c.req.param("id");
      const conversation = await jarvis.conversations.get(id);
      const principal = c.var.principal;
      if (!conversation || (conversation.owner !== principal.id && principal.role !== "admin")) {
        throw new JarvisError("not_found", `No conversation ${id}`);
      }
      const stream = await followRun(jarvis, id, clientSignal(c));
      if (!stream) return c.body(null, 204);
      return createUIMessageStreamResponse({ stream, headers: { "x-jarvis-conversation-id": id } });
    })
    .get("/conversations", async (c) => {
      const principal = c.var.principal;
      const list = await jarvis.conversations.list({
        owner: principal.role === "admin" ? undefined : principal.id,
      });
      return c.json({ conversations: list });
    })
    .get("/conversations/:id", async (c) => {
      const id = c.req.param("id");
      const conversation = await jarvis.conversations.get(id);
      const principal = c.var.principal;
      if (!conversation || (conversation.owner !== principal.id && principal.role !== "admin")) {
        throw new JarvisError("not_found", `No conversation ${id}`);
      }
      const [messages, runs] = await Promise.all([
        jarvis.conversations.messages(id),
        jarvis.conversations.runs(id),
      ]);
      return c.json({ conversation, messages, runs });
    });
}
