import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { GoogleClient } from "./client.ts";

/** The configured Google client, or a clear error saying how to configure one. */
export function googleOf(ctx: ToolContext): GoogleClient {
  const google = ctx.clients.google;
  if (!google) {
    throw new JarvisError(
      "unavailable",
      'Google is not configured: set GOOGLE_CLIENT_ID (and GOOGLE_CLIENT_SECRET), then run `npm run jarvis -- google auth` (see README, "Google")',
    );
  }
  return google;
}
