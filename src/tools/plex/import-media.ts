import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { importLibrary, importSource, readPlan, viewPlan } from "./import-common.ts";
import { enqueueImport, waitForJob } from "./import-job.ts";

/** How long the call waits for its job by default before answering that it goes on in the background. */
export const defaultImportWaitMs = 10_000;

/**
 * plex_import_media: hard-links, copies or moves downloads into the library roots, then scans.
 * The gate approves the call; the filing itself is a `plex.import` job that any worker runs (with
 * progress, retried with backoff), and the call waits a short while for it.
 */
export const importMedia = defineTool({
  name: "plex_import_media",
  title: "Import media into Plex",
  description:
    "Files downloaded media from source into the Plex library roots with Plex naming (hardlink by default, or copy, or move), never outside the roots and never over an existing file, then scans only the folders it touched. dry_run shows the plan without touching files. A long import goes on in the background as a job: the answer then gives its id and progress.",
  input: z.strictObject({
    source: importSource,
    library: importLibrary,
    mode: z.enum(["hardlink", "copy", "move"]).optional().describe("hardlink (default), copy or move"),
    dry_run: z.boolean().optional(),
  }),
  risk: (input) => (input.dry_run ? "read" : "write"),
  target: (input) => input.library ?? input.source,
  // Reading the plan of a large download folder, plus the wait (at most 600 s, JARVIS_IMPORT_WAIT_SECONDS).
  timeoutMs: 15 * 60_000,
  async run(input, ctx) {
    const plan = await readPlan(input.source, input.library, ctx);
    const mode = input.mode ?? "hardlink";
    if (input.dry_run) return { dryRun: true, mode, ...viewPlan(plan) };
    const { jobs, media } = ctx.clients;
    if (!jobs) throw new JarvisError("unavailable", "No job queue to run the import on");
    const job = await enqueueImport(jobs, {
      source: input.source,
      ...(input.library ? { library: input.library } : {}),
      mode,
      requester: ctx.principal.id,
      surface: ctx.source,
      ...(ctx.conversationId ? { conversationId: ctx.conversationId } : {}),
      entries: plan.entries.map(({ from, to, kind, folder }) => ({ from, to, kind, folder })),
      unparsed: plan.unparsed,
    });
    const view = await waitForJob(jobs, job.id, media?.importWaitMs ?? defaultImportWaitMs, ctx.signal);
    if (view.state === "completed") return { job: view.id, ...(view.result as object) };
    if (view.state === "failed")
      throw new JarvisError(
        "tool_failed",
        `The import failed after ${view.attempts} attempt(s): ${view.error} (job ${view.id})`,
        { details: { job: view.id } },
      );
    return {
      job: view.id,
      state: view.state,
      progress: view.progress,
      attempts: view.attempts,
      ...(view.error ? { lastError: view.error } : {}),
      message: `The import continues in the background as job ${view.id}: follow it at /api/jobs/${view.id} or in the console's Jobs view.`,
    };
  },
});
