import { Hono } from "hono";
import type { Jarvis } from "../jarvis.ts";
import { healthRoutes, readyRoutes } from "./routes/health.ts";

/**
 * What a `--role worker` process serves on its port: the health routes only, /healthz (liveness)
 * and /readyz (database, migrations, Redis; for a container health check or systemd), no API, UI or MCP, so it needs no token and exposes nothing.
 */
export function createWorkerApp(jarvis: Jarvis) {
  const app = new Hono();
  app.route("/healthz", healthRoutes(jarvis));
  app.route("/readyz", readyRoutes(jarvis));
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: "not_found",
          message: "A worker serves only /healthz and /readyz; the API is on an api process",
        },
      },
      404,
    ),
  );
  return app;
}
