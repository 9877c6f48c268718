import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/database.ts";
import { JarvisError } from "../../errors.ts";
import { createRunProgram } from "../../exec/run-program.ts";
import type { Logger } from "../../log.ts";
import type { Clients } from "../clients.ts";
import { parseCron } from "./cron.ts";
import { createPostgres } from "./postgres.ts";
import { createRestic } from "./restic.ts";
import { createRunStore } from "./runs.ts";
import { type BackupService, createBackupService } from "./service.ts";

/** The backup service from config, or undefined when no jobs or databases are configured. */
export function createBackups(
  config: Config,
  deps: { db: Db; clients: Clients; log: Logger },
): BackupService | undefined {
  const { jobs, databases, timeoutMinutes } = config.backups;
  if (!jobs.length && !databases.length) return undefined;
  for (const job of jobs) {
    if (job.schedule) {
      try {
        parseCron(job.schedule);
      } catch (error) {
        throw new JarvisError(
          "invalid_config",
          `Invalid configuration:\n- backups.jobs.${job.name}.schedule: ${(error as Error).message}`,
        );
      }
    }
  }
  const log = deps.log.child({ component: "backups" });
  const run = createRunProgram({ log });
  const memory = config.dataDir.startsWith("memory://");
  const cacheDir = memory ? join(tmpdir(), "jarvis-restic-cache") : join(config.dataDir, "restic-cache");
  // Dumps live only while restic reads them; an in-memory setup has no data directory to hold them.
  const dumpDir = memory
    ? join(tmpdir(), `jarvis-dumps-${process.pid}-${randomBytes(6).toString("hex")}`)
    : join(config.dataDir, "dumps");
  return createBackupService({
    jobs,
    databases,
    restic: createRestic({ run, cacheDir }),
    runs: createRunStore(deps.db),
    secrets: deps.clients.secrets!,
    docker: deps.clients.docker,
    run,
    postgres: createPostgres(),
    dumpDir,
    timeoutMs: timeoutMinutes * 60_000,
    log,
  });
}
