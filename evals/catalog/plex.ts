import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the Plex tools that have not landed (the others are the real ones). */
export const plexStandIns = [
  standIn({
    name: "plex_import_media",
    title: "Import media into Plex",
    description:
      "Files downloaded media from source into the right Plex library folder with Plex naming (hardlink by default, or copy, or move), then scans. dry_run shows the plan without touching files.",
    input: z.strictObject({
      source: name(4096),
      library: name(128).optional(),
      mode: z.enum(["hardlink", "copy", "move"]).optional(),
      dry_run: z.boolean().optional(),
    }),
    risk: "write",
    target: (input) => input.library ?? input.source,
  }),
];
