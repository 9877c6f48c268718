import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import { bearerAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { createConversationKeys } from "./conversation-keys.ts";
import { ollamaRoutes } from "./ollama.ts";
import { openAIRoutes } from "./openai.ts";

/**
 * The voice surfaces, each behind a bearer API token: the OpenAI-compatible API at /v1 and the
 * Ollama-compatible API at /ollama. Both run Jarvis's own loop with `source: "voice"`.
 */
export function voiceRoutes(jarvis: Jarvis) {
  const keys = createConversationKeys();
  const app = new Hono<AppEnv>();
  app.use("/v1/*", bearerAuth(jarvis.tokens));
  app.use("/ollama/*", bearerAuth(jarvis.tokens));
  app.route("/v1", openAIRoutes(jarvis, keys));
  app.route("/ollama", ollamaRoutes(jarvis, keys));
  return app;
}
