import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { NetworkClient } from "./client.ts";

/** The injected network client, or a clear error when this setup has none. */
export function networkClient(ctx: ToolContext): NetworkClient {
  if (!ctx.clients.network)
    throw new JarvisError("unavailable", "Domain checks are not available in this setup");
  return ctx.clients.network;
}
