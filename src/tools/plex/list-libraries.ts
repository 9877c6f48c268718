import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { isoFromUnix, plexOf } from "./plex-of.ts";

/** plex_list_libraries: every library with its type, item count, folders and last scan. */
export const listLibraries = defineTool({
  name: "plex_list_libraries",
  title: "Plex libraries",
  description:
    "Lists the Plex server's libraries with type, item count, folders and when each was last scanned.",
  input: z.strictObject({}),
  risk: "read",
  idempotent: true,
  async run(_input, ctx) {
    const plex = plexOf(ctx);
    const sections = await plex.sections(ctx.signal);
    const libraries = await Promise.all(
      sections.map(async (s) => ({
        key: s.key,
        title: s.title,
        type: s.type,
        items: await plex.sectionTotal(s.key, ctx.signal),
        folders: s.Location.map((l) => l.path),
        lastScanned: isoFromUnix(s.scannedAt),
        scanning: s.refreshing ?? false,
      })),
    );
    return { libraries };
  },
});
