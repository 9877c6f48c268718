import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { bearerAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { createConversationKeys } from "./conversation-keys.ts";
import { ollamaRoutes } from "./ollama.ts";
import { openAIRoutes } from "./openai.ts";
import { webhookConversationRoutes } from "./webhook-conversation.ts";

/**
 * An API token as a bearer token, or as the password of HTTP Basic auth (the webhook-conversation
 * integration offers only Basic auth; the user name is ignored).
 */
function tokenAuth(jarvis: Jarvis) {
  const bearer = bearerAuth(jarvis.tokens);
  return createMiddleware<AppEnv>(async (c, next) => {
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!basic) return bearer(c, next);
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const principal = await jarvis.tokens.verify(decoded.slice(decoded.indexOf(":") + 1));
    if (!principal)
      throw new JarvisError("unauthorized", "Invalid or revoked API token (as the Basic auth password)");
    c.set("principal", principal);
    await next();
  });
}

/** Where the Ollama-compatible API takes its token in the path: `/ollama/key/<token>/api/chat`. */
export const ollamaKeyPrefix = "/ollama/key/";

/**
 * The token for the Ollama-compatible API: a bearer token, or one in the path after
 * `/ollama/key/`, for clients that cannot send a header. Home Assistant's built-in Ollama
 * integration takes only a URL and its client keeps the URL's path, so
 * `http://<jarvis>:8750/ollama/key/<token>` authenticates it.
 */
function ollamaAuth(jarvis: Jarvis) {
  const bearer = bearerAuth(jarvis.tokens);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.req.path.startsWith(ollamaKeyPrefix)) return bearer(c, next);
    const secret = c.req.path.slice(ollamaKeyPrefix.length).split("/")[0]!;
    const principal = secret ? await jarvis.tokens.verify(decodeURIComponent(secret)) : undefined;
    if (!principal)
      throw new JarvisError("unauthorized", "Invalid or revoked API token (in the /ollama/key/ path)");
    c.set("principal", principal);
    await next();
  });
}

/** A request path fit for logs and error messages: a token in it is replaced by `<token>`. */
export function loggablePath(path: string): string {
  if (!path.startsWith(ollamaKeyPrefix)) return path;
  const rest = path.slice(ollamaKeyPrefix.length);
  const slash = rest.indexOf("/");
  return `${ollamaKeyPrefix}<token>${slash < 0 ? "" : rest.slice(slash)}`;
}

/**
 * The voice surfaces, each behind a bearer API token: the OpenAI-compatible API at /v1 and the
 * Ollama-compatible API at /ollama (or /ollama/key/<token>), and the webhook-conversation integration's format at
 * /voice/webhook-conversation. All run Jarvis's own loop with `source: "voice"`.
 */
export function voiceRoutes(jarvis: Jarvis) {
  const keys = createConversationKeys();
  const app = new Hono<AppEnv>();
  app.use("/v1/*", bearerAuth(jarvis.tokens));
  app.use("/ollama/*", ollamaAuth(jarvis));
  app.use("/voice/*", tokenAuth(jarvis));
  app.route("/voice/webhook-conversation", webhookConversationRoutes(jarvis));
  app.route("/v1", openAIRoutes(jarvis, keys));
  app.route("/ollama", ollamaRoutes(jarvis, keys));
  app.route("/ollama/key/:token", ollamaRoutes(jarvis, keys));
  return app;
}
