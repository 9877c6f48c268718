import { Hono } from "hono";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { IncidentStatus } from "../../incidents/store.ts";
import type { Jarvis } from "../../jarvis.ts";
import { viewEvent, viewIncident } from "../../tools/incidents/view.ts";
import { requireRole } from "../auth.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";

const statuses = [
  "open",
  "investigating",
  "awaiting_approval",
  "remediating",
  "verifying",
  "resolved",
  "escalated",
  "failed",
] as const satisfies readonly IncidentStatus[];

const Filter = z.strictObject({
  status: z
    .string()
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.enum(statuses)))
    .optional(),
  open: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const Note = z.strictObject({ note: z.string().max(4000).optional() });

/** GET /api/incidents, GET /api/incidents/:id, POST /api/incidents/:id/{ack,resolve,escalate}. */
export function incidentRoutes(jarvis: Jarvis) {
  const { incidents } = jarvis;
  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const filter = Filter.safeParse(c.req.query());
      if (!filter.success)
        throw new JarvisError(
          "invalid_input",
          `Filters: status (comma-separated: ${statuses.join(", ")}), open (true|false), limit (1-1000)`,
        );
      const rows = await incidents.store.list(filter.data);
      return c.json({ incidents: rows.map(viewIncident) });
    })
    .get("/:id", async (c) => {
      const row = await incidents.store.get(c.req.param("id"));
      if (!row) throw new JarvisError("not_found", `No incident ${c.req.param("id")}`);
      const timeline = (await incidents.store.events(row.id)).map(viewEvent);
      return c.json({ incident: { ...viewIncident(row), timeline } });
    })
    .post("/:id/:action{ack|resolve|escalate}", requireRole("admin", "operator"), async (c) => {
      const { note } = await parseBody(c, Note, "incident note");
      const id = c.req.param("id");
      const by = c.var.principal.id;
      const action = c.req.param("action");
      const row =
        action === "ack"
          ? await incidents.acknowledge(id, by, note)
          : await incidents.close(id, action === "resolve" ? "resolved" : "escalated", by, note);
      return c.json({ incident: viewIncident(row) });
    });
}
