import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for system facts (incidents have real definitions: src/tools/incidents). */
export const systemTools = [
  standIn({
    name: "system_info",
    title: "System info",
    description: "Shows a host's OS, kernel, uptime, CPU, load, memory and swap, and temperatures.",
    input: z.strictObject({ host: name(64).optional() }),
    risk: "read",
    target: (input) => input.host,
  }),
];
