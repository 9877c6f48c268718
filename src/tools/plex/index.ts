import type { Tool } from "../define-tool.ts";
import { listLibraries } from "./list-libraries.ts";
import { nowPlaying } from "./now-playing.ts";
import { scanLibrary } from "./scan-library.ts";
import { search } from "./search.ts";

/** The Plex toolset, in catalog order: reads, then writes. */
export const plexTools: Tool[] = [listLibraries, nowPlaying, search, scanLibrary];
