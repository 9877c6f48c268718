import type { PathMapping } from "../plex/path-map.ts";

/**
 * Where imported media goes: the library roots as Jarvis sees them, and how Plex sees the same
 * folders (to scan only what an import touched). An import never writes outside these roots.
 */
export interface MediaRoots {
  /** Movies land in `<movies>/Title (Year)/Title (Year).ext`. */
  movies?: string;
  /** Episodes land in `<tv>/Show/Season 01/Show - s01e02.ext`. */
  tv?: string;
  pathMap: PathMapping[];
  /** How long plex_import_media waits for its job before answering that it goes on in the background. */
  importWaitMs?: number;
}
