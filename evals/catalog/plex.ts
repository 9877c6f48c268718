import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the Plex toolset. */
export const plexTools = [
  standIn({
    name: "plex_list_libraries",
    title: "Plex libraries",
    description:
      "Lists the Plex server's libraries with type, item count, folders and when each was last scanned.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "plex_now_playing",
    title: "Plex now playing",
    description:
      "Lists current Plex sessions: who watches what on which device, progress, and whether it transcodes.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "plex_search",
    title: "Search Plex",
    description:
      "Searches every Plex library for movies, shows, episodes, artists and albums matching query.",
    input: z.strictObject({ query: name(256) }),
    risk: "read",
  }),
  standIn({
    name: "plex_scan_library",
    title: "Scan Plex library",
    description: "Asks Plex to scan a library (or only path inside it) for new or changed files.",
    input: z.strictObject({ library: name(128), path: name(4096).optional() }),
    risk: "write",
    target: (input) => input.library,
  }),
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
