import type { Tool } from "../define-tool.ts";
import { getIncident } from "./get-incident.ts";
import { listIncidents } from "./list-incidents.ts";

/** The incidents toolset (both read-only). */
export const incidentTools: Tool[] = [listIncidents, getIncident];
