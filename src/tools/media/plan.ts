import { join } from "node:path";
import { JarvisError } from "../../errors.ts";
import type { FoundVideo } from "./find-videos.ts";
import { libraryPath, type ParsedName, parseMediaName } from "./parse-name.ts";
import type { MediaRoots } from "./roots.ts";

export type MediaKind = "movies" | "tv";

/** One file's place in the library, or why it has none. */
export interface PlanEntry {
  from: string;
  to: string;
  kind: MediaKind;
  /** The folder to scan afterwards (the movie folder or the season folder). */
  folder: string;
  parsed: ParsedName;
}

export interface ImportPlan {
  source: string;
  entries: PlanEntry[];
  /** Files whose names could not be read, listed rather than guessed. */
  unparsed: Array<{ file: string; reason: string }>;
}

/** A library named in a request → which root it means. */
export function kindOf(library: string): MediaKind {
  if (/movie|film/i.test(library)) return "movies";
  if (/tv|show|series|episode/i.test(library)) return "tv";
  throw new JarvisError(
    "invalid_input",
    `"${library}" is neither a movies nor a TV library; say Movies or TV Shows`,
    {
      details: { library },
    },
  );
}

const safeComponent = (part: string) =>
  part !== "." && part !== ".." && !part.includes("/") && part.trim() !== "";

/** Parses each found video and places it under its root; nothing on disk changes. */
export function planImport(
  source: string,
  videos: FoundVideo[],
  roots: MediaRoots,
  only?: MediaKind,
): ImportPlan {
  const plan: ImportPlan = { source, entries: [], unparsed: [] };
  for (const video of videos) {
    // The file's own name first; the folder it came in when the file name says nothing.
    const parsed = video.names.map(parseMediaName).find(Boolean);
    if (!parsed) {
      plan.unparsed.push({
        file: video.path,
        reason: "no title with a year, or show with SxxEyy/1x02, in the name",
      });
      continue;
    }
    const kind: MediaKind = parsed.kind === "movie" ? "movies" : "tv";
    if (only && kind !== only) {
      plan.unparsed.push({
        file: video.path,
        reason: `reads as ${kind === "tv" ? "an episode" : "a movie"}, not for this library`,
      });
      continue;
    }
    const root = roots[kind];
    if (!root) {
      plan.unparsed.push({
        file: video.path,
        reason: `no ${kind} library root configured (${kind === "movies" ? "JARVIS_MOVIES_DIR" : "JARVIS_TV_DIR"})`,
      });
      continue;
    }
    const parts = libraryPath(parsed, video.ext);
    if (!parts.every(safeComponent)) {
      plan.unparsed.push({ file: video.path, reason: "the name does not make a safe folder name" });
      continue;
    }
    plan.entries.push({
      from: video.path,
      to: join(root, ...parts),
      kind,
      folder: join(root, ...parts.slice(0, -1)),
      parsed,
    });
  }
  return plan;
}
