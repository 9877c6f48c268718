import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { hostArg, sunshineOf } from "./sunshine-of.ts";

/** sunshine_list_apps: what Moonlight clients can start. */
export const listApps = defineTool({
  name: "sunshine_list_apps",
  title: "Sunshine apps",
  description: "Lists the apps a Sunshine host offers to Moonlight clients.",
  input: z.strictObject({ host: hostArg }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    return { host: sunshine.name, apps: await sunshine.apps(ctx.signal) };
  },
});
