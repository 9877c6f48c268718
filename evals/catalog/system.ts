import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for system facts and incidents. */
export const systemTools = [
  standIn({
    name: "system_info",
    title: "System info",
    description: "Shows a host's OS, kernel, uptime, CPU, load, memory and swap, and temperatures.",
    input: z.strictObject({ host: name(64).optional() }),
    risk: "read",
    target: (input) => input.host,
  }),
  standIn({
    name: "incidents_list",
    title: "List incidents",
    description: "Lists incidents (alerts Jarvis received and what it did about them), open ones by default.",
    input: z.strictObject({ status: z.enum(["open", "acknowledged", "resolved", "all"]).optional() }),
    risk: "read",
  }),
  standIn({
    name: "incident_get",
    title: "Incident",
    description: "Shows one incident: the alert, the timeline, tool calls made and the outcome.",
    input: z.strictObject({ id: name(128) }),
    risk: "read",
    target: (input) => input.id,
  }),
];
