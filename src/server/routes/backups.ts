import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import { describeJobs } from "../../tools/backups/list.ts";
import type { AppEnv } from "../env.ts";

/**
 * GET /api/backups: every backup job (jarvis.yaml's and registered ones, and database dumps in
 * flight) with schedule, last run, last success and the progress of a running one, for the console
 * and scripts; read-only, so any signed-in role may see it. Nothing here reaches a repository.
 */
export function backupRoutes(jarvis: Jarvis) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const backups = jarvis.clients.backups;
    if (!backups) return c.json({ jobs: [], running: [] });
    return c.json({
      jobs: await describeJobs(backups, backups.jobs),
      // Every run in flight, db_backup's db:<name> runs included.
      running: backups.running().map((r) => ({
        job: r.job,
        runId: r.runId,
        stage: r.stage,
        startedAt: r.startedAt,
        progress: r.progress ?? null,
      })),
    });
  });
}
