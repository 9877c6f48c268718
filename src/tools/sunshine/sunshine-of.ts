import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { SunshineClient } from "./client.ts";

export const hostArg = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .describe("the Sunshine host; default the configured one");

/** The configured Sunshine host (by name when given), or a clear error. */
export function sunshineOf(ctx: ToolContext, host?: string): SunshineClient {
  const sunshine = ctx.clients.sunshine;
  if (!sunshine) {
    throw new JarvisError(
      "unavailable",
      "Sunshine is not configured: set SUNSHINE_URL, SUNSHINE_USER and SUNSHINE_PASSWORD (see README)",
    );
  }
  if (host && host.toLowerCase() !== sunshine.name.toLowerCase()) {
    throw new JarvisError("not_found", `No Sunshine host "${host}"; configured: ${sunshine.name}`, {
      details: { host },
    });
  }
  return sunshine;
}

/** What is streaming now, said for approval requests ("someone is playing app 3 on gaming-pc"). */
export async function playingSummary(
  sunshine: SunshineClient,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const info = await sunshine.serverInfo(signal);
  if (!info.currentgame) return undefined;
  return `someone is playing on ${sunshine.name} (app ${info.currentgame} is running)`;
}
