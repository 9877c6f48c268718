import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { incidentStore } from "./list-incidents.ts";
import { viewEvent, viewIncident } from "./view.ts";

export const GetIncidentInput = z.strictObject({ id: z.string().min(1).max(128) });
export type GetIncidentInput = z.infer<typeof GetIncidentInput>;

/** incident_get: one incident with its timeline (evidence, decisions, tool calls with audit ids). */
export const getIncident = defineTool({
  name: "incident_get",
  title: "Incident",
  description: "Shows one incident: the alert, the timeline, tool calls made and the outcome.",
  input: GetIncidentInput,
  risk: "read",
  target: (input) => input.id,
  async run(input, ctx) {
    const store = incidentStore(ctx);
    const row = await store.get(input.id);
    if (!row) throw new JarvisError("not_found", `No incident ${input.id}; incidents_list shows their ids`);
    return { ...viewIncident(row), timeline: (await store.events(row.id)).map(viewEvent) };
  },
});
