import { z } from "zod";
import { JarvisError, toJarvisError } from "../../errors.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import { placeFile } from "../media/place-file.ts";
import type { PlanEntry } from "../media/plan.ts";
import { importLibrary, importSource, readPlan, viewPlan } from "./import-common.ts";
import { isInside, toPlexPath } from "./path-map.ts";

/** Scans only the folders an import touched, each in the Plex library that holds it. */
async function scanTouched(folders: string[], ctx: ToolContext) {
  const plex = ctx.clients.plex;
  if (!plex || folders.length === 0)
    return { scanned: [], scanNote: plex ? undefined : "Plex is not configured: nothing scanned" };
  const sections = await plex.sections(ctx.signal);
  const scanned: Array<{ library: string; path: string }> = [];
  const unscanned: string[] = [];
  for (const folder of folders) {
    const path = toPlexPath(folder, ctx.clients.media?.pathMap ?? []);
    const section = sections.find((s) => s.Location.some((l) => isInside(path, l.path)));
    if (!section) {
      unscanned.push(folder);
      continue;
    }
    await plex.refresh(section.key, path, ctx.signal);
    scanned.push({ library: section.title, path });
  }
  return {
    scanned,
    scanNote: unscanned.length
      ? `No Plex library holds ${unscanned.join(", ")} (check PLEX_PATH_MAP): not scanned`
      : undefined,
  };
}

/** plex_import_media: hard-links, copies or moves downloads into the library roots, then scans. */
export const importMedia = defineTool({
  name: "plex_import_media",
  title: "Import media into Plex",
  description:
    "Files downloaded media from source into the Plex library roots with Plex naming (hardlink by default, or copy, or move), never outside the roots and never over an existing file, then scans only the folders it touched. dry_run shows the plan without touching files.",
  input: z.strictObject({
    source: importSource,
    library: importLibrary,
    mode: z.enum(["hardlink", "copy", "move"]).optional().describe("hardlink (default), copy or move"),
    dry_run: z.boolean().optional(),
  }),
  risk: (input) => (input.dry_run ? "read" : "write"),
  target: (input) => input.library ?? input.source,
  timeoutMs: 30 * 60_000,
  async run(input, ctx) {
    const plan = await readPlan(input.source, input.library, ctx);
    const mode = input.mode ?? "hardlink";
    if (input.dry_run) return { dryRun: true, mode, ...viewPlan(plan) };
    const roots = ctx.clients.media!;
    const imported: Array<{ from: string; to: string }> = [];
    const skipped: Array<{ from: string; to: string; reason: string }> = [];
    const touched = new Set<string>();
    for (const entry of plan.entries as PlanEntry[]) {
      if (ctx.signal.aborted) throw new JarvisError("aborted", "The import was cancelled");
      try {
        await placeFile(entry.from, entry.to, roots[entry.kind]!, mode);
        imported.push({ from: entry.from, to: entry.to });
        touched.add(entry.folder);
      } catch (error) {
        const failure = toJarvisError(error, "tool_failed");
        if (failure.code === "invalid_config") throw failure;
        skipped.push({ from: entry.from, to: entry.to, reason: failure.message });
      }
    }
    const scan = await scanTouched([...touched], ctx);
    return { mode, imported, skipped, unparsed: plan.unparsed, ...scan };
  },
});
