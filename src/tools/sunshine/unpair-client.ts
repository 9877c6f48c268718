import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { hostArg, sunshineOf } from "./sunshine-of.ts";

/** sunshine_unpair_client: removes a paired client (by name or uuid). */
export const unpairClient = defineTool({
  name: "sunshine_unpair_client",
  title: "Unpair Moonlight client",
  description:
    "Removes a paired Moonlight client (by name or uuid); it must pair again with a new PIN to stream.",
  input: z.strictObject({ client: z.string().trim().min(1).max(128), host: hostArg }),
  risk: "destructive",
  target: (input) => input.client,
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    const clients = await sunshine.clients(ctx.signal);
    const wanted = input.client.toLowerCase();
    const matches = clients.filter((c) => c.uuid.toLowerCase() === wanted || c.name.toLowerCase() === wanted);
    if (matches.length === 0) {
      throw new JarvisError(
        "not_found",
        `No paired client "${input.client}" on ${sunshine.name}. Paired: ${clients.map((c) => c.name).join(", ") || "none"}`,
      );
    }
    if (matches.length > 1) {
      throw new JarvisError(
        "conflict",
        `${matches.length} paired clients are named "${input.client}"; give the uuid: ${matches.map((c) => c.uuid).join(", ")}`,
      );
    }
    const client = matches[0]!;
    if (!(await sunshine.unpair(client.uuid, ctx.signal)))
      throw new JarvisError("tool_failed", `Sunshine did not unpair ${client.name}`);
    return { host: sunshine.name, client: client.name, uuid: client.uuid, unpaired: true };
  },
});
