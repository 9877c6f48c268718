import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { PlexClient } from "./client.ts";
import type { PlexSection } from "./schemas.ts";

/** The configured Plex client, or a clear error saying how to configure one. */
export function plexOf(ctx: ToolContext): PlexClient {
  const plex = ctx.clients.plex;
  if (!plex) {
    throw new JarvisError("unavailable", "Plex is not configured: set PLEX_URL and PLEX_TOKEN (see README)");
  }
  return plex;
}

/** A library by title (any case) or key; an unknown name lists the ones that exist. */
export async function findSection(
  plex: PlexClient,
  library: string,
  signal: AbortSignal,
): Promise<PlexSection> {
  const sections = await plex.sections(signal);
  const wanted = library.trim().toLowerCase();
  const section =
    sections.find((s) => s.title.toLowerCase() === wanted) ?? sections.find((s) => s.key === library.trim());
  if (!section) {
    throw new JarvisError(
      "not_found",
      `Plex has no library "${library}". Libraries: ${sections.map((s) => s.title).join(", ") || "none"}`,
      { details: { library } },
    );
  }
  return section;
}

/** Unix seconds → ISO time, for results people and models read. */
export const isoFromUnix = (seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
