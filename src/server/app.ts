import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { httpStatus, JarvisError } from "../errors.ts";
import type { Jarvis } from "../jarvis.ts";
import { authenticate, bearerAuth, requireRole } from "./auth.ts";
import type { AppEnv } from "./env.ts";
import { hostCheck } from "./host-check.ts";
import { rateLimit } from "./rate-limit.ts";
import { createMemoryRateLimiter, createRedisRateLimiter } from "./rate-limiter.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { approvalRoutes } from "./routes/approvals.ts";
import { auditRoutes } from "./routes/audit.ts";
import { backupRoutes } from "./routes/backups.ts";
import { chatRoutes } from "./routes/chat.ts";
import { healthRoutes, readyRoutes } from "./routes/health.ts";
import { incidentRoutes } from "./routes/incidents.ts";
import { instanceRoutes } from "./routes/instances.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { createMcpSessions, type McpSessions, mcpRoutes } from "./routes/mcp.ts";
import { memoryRoutes } from "./routes/memories.ts";
import { secretRoutes } from "./routes/secrets.ts";
import { sessionRoutes } from "./routes/session.ts";
import { statusRoutes } from "./routes/status.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { toolRoutes } from "./routes/tools.ts";
import { uiRoutes } from "./ui.ts";
import { loggablePath, voiceRoutes } from "./voice/index.ts";

/**
 * The HTTP app. `/healthz`, sign-in and the chat console's static files need no token; every
 * other route sits behind a bearer token or a console session, and one onError maps typed errors to statuses with a JSON body.
 */
export function createApp(jarvis: Jarvis, options: { uiDir?: string; mcpSessions?: McpSessions } = {}) {
  const app = new Hono<AppEnv>();
  const mcpSessions = options.mcpSessions ?? createMcpSessions(jarvis);

  app.onError((error, c) => {
    if (error instanceof JarvisError) {
      const status = httpStatus[error.code] as 400;
      return c.json(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
          },
        },
        status,
      );
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: "http_error", message: error.message } }, error.status);
    }
    jarvis.log.error("unhandled error", { path: loggablePath(c.req.path), error });
    return c.json({ error: { code: "internal", message: "Internal error; see the server log" } }, 500);
  });
  app.notFound((c) =>
    c.json(
      { error: { code: "not_found", message: `No route ${c.req.method} ${loggablePath(c.req.path)}` } },
      404,
    ),
  );

  app.route("/healthz", healthRoutes(jarvis));
  app.route("/readyz", readyRoutes(jarvis));

  // Per-token limits (JARVIS_RATE_LIMIT), after authentication; health routes are never limited.
  const { requests, windowSeconds } = jarvis.config.rateLimit;
  const limited = requests > 0;
  const limiterSettings = { requests, windowMs: windowSeconds * 1000 };
  const limit = rateLimit(
    jarvis.redis
      ? createRedisRateLimiter(jarvis.redis, limiterSettings)
      : createMemoryRateLimiter(limiterSettings),
    { requests, windowSeconds },
  );

  // MCP (Streamable HTTP): Host/Origin checked against DNS rebinding, then the bearer token only
  // (no console cookie: an IDE client holds a token).
  app.use("/mcp", hostCheck(jarvis.config.server), bearerAuth(jarvis.tokens));
  if (limited) app.use("/mcp", limit);
  app.route("/mcp", mcpRoutes(mcpSessions));

  // Voice (OpenAI- and Ollama-compatible APIs for Home Assistant and other clients): bearer token.
  app.route("/", voiceRoutes(jarvis));

  app.route("/api/session", sessionRoutes(jarvis));
  app.use("/api/*", authenticate(jarvis));
  if (limited) app.use("/api/*", limit);
  app.route("/api/tools", toolRoutes(jarvis));
  app.route("/api/approvals", approvalRoutes(jarvis));
  app.route("/api/status", statusRoutes(jarvis));
  app.route("/api/memories", memoryRoutes(jarvis));
  app.route("/api/alerts", alertRoutes(jarvis));
  app.route("/api/incidents", incidentRoutes(jarvis));
  app.route("/api/backups", backupRoutes(jarvis));
  app.route("/api", chatRoutes(jarvis));
  app.use("/api/audit", requireRole("admin", "operator"));
  app.route("/api/audit", auditRoutes(jarvis));
  app.use("/api/jobs", requireRole("admin", "operator"));
  app.use("/api/jobs/*", requireRole("admin", "operator"));
  app.route("/api/jobs", jobRoutes(jarvis));
  app.use("/api/instances", requireRole("admin", "operator"));
  app.route("/api/instances", instanceRoutes(jarvis));
  app.use("/api/tokens", requireRole("admin"));
  app.use("/api/tokens/*", requireRole("admin"));
  app.route("/api/tokens", tokenRoutes(jarvis));
  app.use("/api/secrets", requireRole("admin"));
  app.use("/api/secrets/*", requireRole("admin"));
  app.route("/api/secrets", secretRoutes(jarvis));
  app.get("/api/whoami", (c) => {
    const { id, name, role, scopes } = c.var.principal;
    return c.json({ id, name, role, scopes });
  });
  app.route("/", uiRoutes(options.uiDir));
  return app;
}
