import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import { findVideos } from "../media/find-videos.ts";
import { type ImportPlan, kindOf, planImport } from "../media/plan.ts";

export const importSource = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith("/"), "an absolute path (the download folder or one file)");
export const importLibrary = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .optional()
  .describe("Movies or TV Shows: import only what belongs there; default both");

/** The plan for an import, read from disk; needs at least one library root configured. */
export async function readPlan(
  source: string,
  library: string | undefined,
  ctx: ToolContext,
): Promise<ImportPlan> {
  const roots = ctx.clients.media;
  if (!roots?.movies && !roots?.tv) {
    throw new JarvisError(
      "unavailable",
      "No library roots are configured for imports: set JARVIS_MOVIES_DIR and/or JARVIS_TV_DIR",
    );
  }
  const videos = await findVideos(source);
  return planImport(source, videos, roots, library ? kindOf(library) : undefined);
}

/** A plan as the result shows it: source → destination, and what was left out. */
export const viewPlan = (plan: ImportPlan) => ({
  source: plan.source,
  files: plan.entries.map((e) => ({ from: e.from, to: e.to, kind: e.kind })),
  unparsed: plan.unparsed,
});
