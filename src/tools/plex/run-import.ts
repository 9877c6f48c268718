import { basename } from "node:path";
import type { Source } from "../../config.ts";
import { JarvisError, toJarvisError } from "../../errors.ts";
import type { ImportMode } from "../media/place-file.ts";
import { placeFile } from "../media/place-file.ts";
import type { ImportPlan, PlanEntry } from "../media/plan.ts";
import type { MediaRoots } from "../media/roots.ts";
import type { PlexClient } from "./client.ts";
import { scanTouched } from "./scan-touched.ts";

/**
 * What a `plex.import` job carries: the approved, validated input, who asked, and the plan made
 * when the call ran, so a retry files exactly those files (a move has taken some out of `source`
 * by then). Paths only: never a secret.
 */
export interface PlexImportData {
  source: string;
  library?: string;
  mode: ImportMode;
  /** The principal id that asked, and through which surface. */
  requester: string;
  surface: Source;
  conversationId?: string;
  entries: Array<Pick<PlanEntry, "from" | "to" | "kind" | "folder">>;
  unparsed: ImportPlan["unparsed"];
}

/** What the job reports as it goes: files done of the total and the file being placed. */
export interface ImportProgress {
  stage: "importing" | "scanning" | "done";
  filesDone: number;
  totalFiles: number;
  current?: string;
}

/**
 * Files the plan's entries into the library roots, one at a time with progress, then scans the
 * touched folders once. A file that fails is listed as skipped; only a missing library root stops
 * the import (it is thrown, so the job is retried). With `resume` (a retry), a file an earlier
 * attempt already placed counts as imported.
 */
export async function runImport(
  data: PlexImportData,
  deps: {
    roots: MediaRoots;
    plex?: PlexClient;
    resume: boolean;
    progress(value: ImportProgress): Promise<void>;
  },
) {
  const { roots } = deps;
  const imported: Array<{ from: string; to: string; placedEarlier?: true }> = [];
  const skipped: Array<{ from: string; to: string; reason: string }> = [];
  const touched = new Set<string>();
  const totalFiles = data.entries.length;
  for (const [done, entry] of data.entries.entries()) {
    await deps.progress({ stage: "importing", filesDone: done, totalFiles, current: basename(entry.to) });
    const root = roots[entry.kind];
    if (!root)
      throw new JarvisError(
        "invalid_config",
        `This worker has no ${entry.kind} library root (${entry.kind === "movies" ? "JARVIS_MOVIES_DIR" : "JARVIS_TV_DIR"}) to import into`,
      );
    try {
      const placed = await placeFile(entry.from, entry.to, root, data.mode, { resume: deps.resume });
      imported.push({
        from: entry.from,
        to: entry.to,
        ...(placed === "already" ? { placedEarlier: true } : {}),
      });
      touched.add(entry.folder);
    } catch (error) {
      const failure = toJarvisError(error, "tool_failed");
      if (failure.code === "invalid_config") throw failure;
      skipped.push({ from: entry.from, to: entry.to, reason: failure.message });
    }
  }
  await deps.progress({ stage: "scanning", filesDone: totalFiles, totalFiles });
  const scan = await scanTouched([...touched], { plex: deps.plex, pathMap: roots.pathMap });
  await deps.progress({ stage: "done", filesDone: totalFiles, totalFiles });
  return { mode: data.mode, imported, skipped, unparsed: data.unparsed, ...scan };
}
