import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import type { PlexClient } from "./client.ts";
import { plexOf } from "./plex-of.ts";
import type { PlexSession } from "./schemas.ts";

/** One session said plainly: who watches what, where, how far in, direct play or transcode. */
export function viewSession(s: PlexSession) {
  const episode =
    s.type === "episode" && s.grandparentTitle
      ? `${s.grandparentTitle} S${String(s.parentIndex ?? 0).padStart(2, "0")}E${String(s.index ?? 0).padStart(2, "0")}: `
      : "";
  return {
    user: s.User?.title ?? "unknown",
    title: `${episode}${s.title}`,
    type: s.type,
    year: s.year,
    player: s.Player?.title ?? s.Player?.product,
    state: s.Player?.state,
    progressPercent:
      s.duration && s.viewOffset !== undefined ? Math.round((s.viewOffset / s.duration) * 100) : undefined,
    decision: s.TranscodeSession?.videoDecision === "transcode" ? "transcode" : "direct play",
    bandwidthKbps: s.Session?.bandwidth,
    location: s.Session?.location,
  };
}

/** The people streaming now, for approval requests ("2 people are streaming: anna, ben"). */
export async function streamingSummary(plex: PlexClient, signal?: AbortSignal): Promise<string | undefined> {
  const sessions = await plex.sessions(signal);
  if (sessions.length === 0) return undefined;
  const users = [...new Set(sessions.map((s) => s.User?.title ?? "someone"))];
  const n = sessions.length;
  return `${n} ${n === 1 ? "person is" : "people are"} streaming from Plex (${users.join(", ")})`;
}

/** plex_now_playing: current sessions and for whom. */
export const nowPlaying = defineTool({
  name: "plex_now_playing",
  title: "Plex now playing",
  description:
    "Lists current Plex sessions: who watches what on which device, progress, and whether it transcodes.",
  input: z.strictObject({}),
  risk: "read",
  idempotent: true,
  async run(_input, ctx) {
    const sessions = await plexOf(ctx).sessions(ctx.signal);
    return { sessions: sessions.map(viewSession) };
  },
});
