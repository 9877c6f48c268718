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
import { createStoredJobs } from "./stored.ts";

/**
 * The backup service: the jobs of jarvis.yaml plus those Jarvis registers itself (deployed
 * databases, in backup_stored_jobs; call `load()` once the database is open).
 */
export function createBackups(
  config: Config,
  deps: {
    db: Db;
    clients: Clients;
    log: Logger /** This process (instances.id), the owner of its runs. */;
    owner?: string;
  },
): BackupService {
  const { jobs, databases, timeoutMinutes } = config.backups;
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
    runs: createRunStore(deps.db, { owner: deps.owner }),
    stored: createStoredJobs(deps.db),
    deployRepository:
      config.backups.deployRepository ?? (memory ? undefined : join(config.dataDir, "backups", "deployed")),
    secrets: deps.clients.secrets!,
    docker: deps.clients.docker,
    run,
    postgres: createPostgres(),
    dumpDir,
    timeoutMs: timeoutMinutes * 60_000,
    log,
  });
}
