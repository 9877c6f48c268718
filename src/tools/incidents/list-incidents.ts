import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { IncidentStore } from "../../incidents/store.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import { viewIncident } from "./view.ts";

export const ListIncidentsInput = z.strictObject({
  status: z.enum(["open", "acknowledged", "resolved", "escalated", "all"]).optional(),
});
export type ListIncidentsInput = z.infer<typeof ListIncidentsInput>;

export function incidentStore(ctx: ToolContext): IncidentStore {
  if (!ctx.clients.incidents)
    throw new JarvisError("unavailable", "Incidents are not available in this setup");
  return ctx.clients.incidents;
}

/** incidents_list: open incidents by default, or those with a status. */
export const listIncidents = defineTool({
  name: "incidents_list",
  title: "List incidents",
  description:
    "Lists incidents (alerts Jarvis received and what it did about them), open ones by default; status acknowledged, resolved, escalated or all for others.",
  input: ListIncidentsInput,
  risk: "read",
  async run(input, ctx) {
    const store = incidentStore(ctx);
    const status = input.status ?? "open";
    const rows =
      status === "all"
        ? await store.list({ limit: 50 })
        : status === "open"
          ? await store.list({ open: true, limit: 50 })
          : status === "acknowledged"
            ? await store.list({ open: true, acknowledged: true, limit: 50 })
            : await store.list({ status: [status], limit: 50 });
    return {
      incidents: rows.map((row) => {
        const { id, title, status, severity, opened, source, summary, target, attempts, alertCount } =
          viewIncident(row);
        return {
          id,
          title,
          status: row.acknowledgedAt && !row.closedAt ? `${status} (acknowledged)` : status,
          severity,
          opened,
          source,
          target,
          attempts,
          alertCount,
          ...(row.closedAt ? { resolved: row.closedAt.toISOString(), resolution: summary } : {}),
        };
      }),
    };
  },
});
