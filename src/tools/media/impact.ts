import type { ToolContext } from "../define-tool.ts";
import { streamingSummary } from "../plex/now-playing.ts";

/**
 * Who stopping a container would interrupt: when the target (`host/name`) is the Plex container and
 * Plex is configured, the people streaming from it.
 */
export async function containerImpact(
  ctx: ToolContext,
  target: string | undefined,
): Promise<string | undefined> {
  const name = target?.split("/").at(-1) ?? "";
  if (!ctx.clients.plex || !/plex/i.test(name)) return undefined;
  return streamingSummary(ctx.clients.plex, ctx.signal);
}
