import { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";
import type { ConversationKeys } from "./conversation-keys.ts";
import { ChatMessage, splitTurns } from "./messages.ts";
import { runVoice } from "./run-voice.ts";

/** The model name Ollama clients see (Ollama names carry a tag). */
export const ollamaModelName = "jarvis:latest";
const details = {
  parent_model: "",
  format: "gguf",
  family: "jarvis",
  families: ["jarvis"],
  parameter_size: "",
  quantization_level: "",
};
const modifiedAt = "2026-01-01T00:00:00Z";

const ChatRequest = z
  .object({
    model: z.string().max(200).optional(),
    messages: z.array(ChatMessage).min(1).max(500),
    /** Ollama streams unless told not to. */
    stream: z.boolean().optional(),
  })
  .loose();

/**
 * The Ollama-compatible voice API, mounted under /ollama so Home Assistant's Ollama integration
 * (and any Ollama client) can use `http://<jarvis>:8750/ollama` as its URL: `GET /api/tags`,
 * `POST /api/show`, `GET /api/version` and `POST /api/chat` (NDJSON stream by default, one object
 * with `stream: false`). Wire format: https://github.com/ollama/ollama/blob/main/docs/api.md.
 * Tools the caller sends are ignored; Jarvis runs its own.
 */
export function ollamaRoutes(jarvis: Jarvis, keys: ConversationKeys) {
  return new Hono<AppEnv>()
    .get("/", (c) => c.text("Ollama is running"))
    .get("/api/version", (c) => c.json({ version: "0.12.0" }))
    .get("/api/tags", (c) =>
      c.json({
        models: [
          {
            name: ollamaModelName,
            model: ollamaModelName,
            modified_at: modifiedAt,
            size: 0,
            digest: "0".repeat(64),
            details,
          },
        ],
      }),
    )
    .post("/api/show", (c) =>
      c.json({
        license: "",
        modelfile: `FROM ${ollamaModelName}`,
        parameters: "",
        template: "{{ .Prompt }}",
        details,
        model_info: { "general.architecture": "jarvis" },
        capabilities: ["completion", "tools"],
        modified_at: modifiedAt,
      }),
    )
    .post("/api/chat", async (c) => {
      const body = await parseBody(c, ChatRequest, "Ollama chat request");
      const { history, text } = splitTurns(body.messages);
      const principal = c.var.principal;
      const started = process.hrtime.bigint();
      const conversationId = c.req.header("x-jarvis-conversation-id") ?? keys.find(principal.id, history);
      const answer = await runVoice(jarvis, { conversationId, text, principal, signal: clientSignal(c) });
      keys.remember(
        principal.id,
        [...history, { role: "user", text }, { role: "assistant", text: answer.text }],
        answer.conversationId,
      );
      const model = body.model ?? ollamaModelName;
      const createdAt = new Date().toISOString();
      const total = Number(process.hrtime.bigint() - started);
      const final = {
        model,
        created_at: createdAt,
        message: { role: "assistant", content: body.stream === false ? answer.text : "" },
        done: true,
        done_reason: "stop",
        total_duration: total,
        load_duration: 0,
        prompt_eval_count: 0,
        prompt_eval_duration: 0,
        eval_count: 0,
        eval_duration: total,
      };
      c.header("x-jarvis-conversation-id", answer.conversationId);
      if (body.stream === false) return c.json(final);
      c.header("content-type", "application/x-ndjson");
      return stream(c, async (out) => {
        const partial = {
          model,
          created_at: createdAt,
          message: { role: "assistant", content: answer.text },
          done: false,
        };
        await out.write(`${JSON.stringify(partial)}\n`);
        await out.write(`${JSON.stringify(final)}\n`);
      });
    });
}
