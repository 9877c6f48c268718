import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { hostArg, sunshineOf } from "./sunshine-of.ts";

/** sunshine_status: host, version, paired state and current game, from GameStream /serverinfo. */
export const sunshineStatus = defineTool({
  name: "sunshine_status",
  title: "Sunshine status",
  description:
    "Shows whether a Sunshine game-streaming host is up, its version, whether this requester is paired, and the app it is streaming.",
  input: z.strictObject({ host: hostArg }),
  risk: "read",
  idempotent: true,
  target: (input) => input.host,
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    const info = await sunshine.serverInfo(ctx.signal);
    return {
      host: sunshine.name,
      online: true,
      hostname: info.hostname,
      version: info.appversion,
      paired: info.PairStatus === 1,
      state: info.state,
      streaming: info.currentgame ? { appId: info.currentgame } : null,
    };
  },
});
