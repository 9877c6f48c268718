import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { hostArg, sunshineOf } from "./sunshine-of.ts";

/** sunshine_pair_client: completes a Moonlight pairing with the PIN the client shows. */
export const pairClient = defineTool({
  name: "sunshine_pair_client",
  title: "Pair Moonlight client",
  description:
    "Pairs a Moonlight client with a Sunshine host using the 4-digit PIN the client shows, under name. Start pairing in Moonlight first.",
  input: z.strictObject({
    pin: z.string().regex(/^\d{4}$/, "the 4-digit PIN Moonlight shows"),
    name: z.string().trim().min(1).max(128),
    host: hostArg,
  }),
  risk: "write",
  target: (input) => input.name,
  async run(input, ctx) {
    const sunshine = sunshineOf(ctx, input.host);
    const ok = await sunshine.pair(input.pin, input.name, ctx.signal);
    if (!ok) {
      throw new JarvisError(
        "conflict",
        `Sunshine did not accept PIN ${input.pin}: start pairing in Moonlight first, then give the PIN it shows`,
      );
    }
    return { host: sunshine.name, client: input.name, paired: true };
  },
});
