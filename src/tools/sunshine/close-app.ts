import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { hostArg, playingSummary, sunshineOf } from "./sunshine-of.ts";

/** sunshine_close_app: ends the running app (and with it the stream). */
export const closeApp = defineTool({
  name: "sunshine_close_app",
  title: "Close streamed app",
  description: "Closes the app a Sunshine host is currently streaming, ending the session.",
  input: z.strictObject({ host: hostArg }),
  risk: "write",
  target: (input, ctx) => input.host ?? ctx.clients.sunshine?.name,
  warn: async (input, ctx) => playingSummary(sunshineOf(ctx, input.host), ctx.signal),
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    if (!(await sunshine.closeApp(ctx.signal)))
      throw new JarvisError("tool_failed", `Sunshine did not close the app`);
    return { host: sunshine.name, closed: true };
  },
});
