import type { Tool } from "../define-tool.ts";
import { importMedia } from "./import-media.ts";
import { listLibraries } from "./list-libraries.ts";
import { nowPlaying } from "./now-playing.ts";
import { planImportTool } from "./plan-import.ts";
import { scanLibrary } from "./scan-library.ts";
import { search } from "./search.ts";

/** The Plex toolset, in catalog order: reads, then writes. */
export const plexTools: Tool[] = [
  listLibraries,
  nowPlaying,
  search,
  planImportTool,
  scanLibrary,
  importMedia,
];
