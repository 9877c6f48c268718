import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { hostArg, sunshineOf } from "./sunshine-of.ts";

/** sunshine_list_clients: the paired Moonlight clients. */
export const listClients = defineTool({
  name: "sunshine_list_clients",
  title: "Sunshine clients",
  description: "Lists the Moonlight clients paired with a Sunshine host.",
  input: z.strictObject({ host: hostArg }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    return { host: sunshine.name, clients: await sunshine.clients(ctx.signal) };
  },
});
