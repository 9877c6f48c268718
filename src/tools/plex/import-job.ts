import { JarvisError } from "../../errors.ts";
import type { Jobs, JobView } from "../../jobs/index.ts";
import type { Clients } from "../clients.ts";
import { type PlexImportData, runImport } from "./run-import.ts";

/** The job that files an approved import into the library roots, on whichever worker takes it. */
export const plexImportJob = "plex.import";

/** Enqueues an approved import: retried with backoff (a Plex restart, a library root briefly gone). */
export function enqueueImport(jobs: Jobs, data: PlexImportData): Promise<JobView> {
  return jobs.enqueue(plexImportJob, data, { attempts: 4, backoff: { type: "exponential", delay: 5_000 } });
}

/**
 * Defines the import job (in every process, so any worker may run it). A retry (attempt 2 on, also
 * after a worker died mid-import) takes the files an earlier attempt placed as imported.
 */
export function definePlexImportJob(deps: { jobs: Jobs; clients: Clients }): void {
  deps.jobs.define<PlexImportData>(plexImportJob, (data, ctx) => {
    const roots = deps.clients.media;
    if (!roots) throw new JarvisError("invalid_config", "This worker has no library roots to import into");
    return runImport(data, {
      roots,
      plex: deps.clients.plex,
      resume: ctx.attempt > 1,
      progress: (value) => ctx.progress({ ...value }),
    });
  });
}

/**
 * Polls the job until it ends or `waitMs` passes; the view as it then is. Stopping the wait (the
 * caller went away) stops only the wait: the job goes on.
 */
export async function waitForJob(jobs: Jobs, id: string, waitMs: number, signal: AbortSignal) {
  const until = Date.now() + waitMs;
  // Quick looks first (a small import is done in milliseconds), then every 100 ms.
  for (let look = 0; ; look++) {
    const view = await jobs.get(id);
    if (!view) throw new JarvisError("not_found", `The import job ${id} is gone from the queue`);
    const left = until - Date.now();
    if (view.state === "completed" || view.state === "failed" || left <= 0) return view;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.min(100, 10 * 2 ** look, left));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
    if (signal.aborted)
      throw new JarvisError("aborted", `Stopped waiting; the import goes on as job ${id} (/api/jobs/${id})`);
  }
}
