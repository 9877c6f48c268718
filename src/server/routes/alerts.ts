import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { JarvisError } from "../../errors.ts";
import { AlertmanagerPayload, fromAlertmanager, fromWebhook, WebhookAlert } from "../../incidents/alert.ts";
import type { Jarvis } from "../../jarvis.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";

/** Alert sources post with a token that has the `alerts` scope (admin tokens may too). */
const requireAlertsScope = createMiddleware<AppEnv>(async (c, next) => {
  const { role, scopes, name } = c.var.principal;
  if (role !== "admin" && !scopes.includes("alerts")) {
    throw new JarvisError(
      "forbidden",
      `Posting alerts needs a token with the "alerts" scope (or an admin token); ${name} has none`,
    );
  }
  await next();
});

/** POST /api/alerts/alertmanager (Alertmanager webhook, version 4), POST /api/alerts/webhook (generic JSON). */
export function alertRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>()
    .use("*", requireAlertsScope)
    .post("/alertmanager", async (c) => {
      const payload = await parseBody(c, AlertmanagerPayload, "Alertmanager webhook payload");
      const results = await jarvis.incidents.ingest(fromAlertmanager(payload));
      return c.json({ alerts: results });
    })
    .post("/webhook", async (c) => {
      const body = await parseBody(c, WebhookAlert, "alert");
      const [result] = await jarvis.incidents.ingest([fromWebhook(body)]);
      return c.json(result);
    });
}
