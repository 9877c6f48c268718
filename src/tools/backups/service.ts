import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BackupDatabase, BackupJob } from "../../config.ts";
import { JarvisError, toJarvisError } from "../../errors.ts";
import type { RunProgram } from "../../exec/run-program.ts";
import type { Alert } from "../../incidents/alert.ts";
import type { Logger } from "../../log.ts";
import type { SecretStore } from "../../secrets/store.ts";
import type { DockerClients } from "../docker/client.ts";
import { execInContainer } from "./container-exec.ts";
import type { Postgres } from "./postgres.ts";
import type { Progress, Repo, Restic } from "./restic.ts";
import type { RunStore } from "./runs.ts";
import type { StoredJob, StoredJobs } from "./stored.ts";

export interface RunningBackup {
  runId: number;
  job: string;
  startedAt: string;
  stage: string;
  progress?: Progress;
}

export interface BackupDeps {
  jobs: readonly BackupJob[];
  databases: readonly BackupDatabase[];
  restic: Restic;
  runs: RunStore;
  /** Jobs Jarvis registered itself (deployed databases); `load()` reads them. */
  stored?: StoredJobs;
  /** Where registered (deployed) databases are backed up; none: they are not registered. */
  deployRepository?: string;
  secrets: SecretStore;
  docker?: DockerClients;
  run: RunProgram;
  /** Queries PostgreSQL servers directly (sizes, emptiness, CREATE DATABASE). */
  postgres: Postgres;
  /** Where dumps are written before restic reads them (one sub-directory per running job, mode 0700). */
  dumpDir: string;
  timeoutMs: number;
  log: Logger;
}

/** What one run copies and where: a configured job, or a single database (db_backup). */
interface Unit {
  /** The run key: the job's name, or db:<database> for a database on its own. */
  key: string;
  repository: string;
  passwordSecret: string;
  paths: readonly string[];
  volumes: BackupJob["volumes"];
  databases: readonly string[];
  keep?: BackupJob["keep"];
  tags: string[];
}

/** The file a database's dump has in every snapshot (the same path each time, so restic finds its parent). */
export const dumpFile = (dir: string, key: string, database: string) =>
  join(dir, key.replace(/[^a-z0-9_-]/gi, "_"), `${database}.dump`);

/**
 * Backup jobs: runs (one at a time per job, with live progress), snapshots, verification, restores
 * and retention. A failed run is reported through `onFailure` (the incidents module's ingest).
 */
export function createBackupService(deps: BackupDeps) {
  const running = new Map<string, RunningBackup>();
  let onFailure: ((alert: Alert) => void) | undefined;
  /** Jobs whose last run failed: their next success resolves the incident. */
  const failing = new Set<string>();
  /** Registered jobs, kept in memory so lookups stay synchronous; written through to the table. */
  let stored: StoredJob[] = [];
  const allJobs = (): BackupJob[] => [...deps.jobs, ...stored.map((s) => s.job)];
  const allDatabases = (): BackupDatabase[] => [
    ...deps.databases,
    ...stored.flatMap((s) => (s.database ? [s.database] : [])),
  ];

  function job(name: string): BackupJob {
    const found = allJobs().find((j) => j.name === name);
    if (!found) {
      const known =
        allJobs()
          .map((j) => j.name)
          .join(", ") || "none configured (backups.jobs in jarvis.yaml)";
      throw new JarvisError("not_found", `No backup job "${name}"; jobs: ${known}`);
    }
    return found;
  }

  async function repoOf(j: { name: string; repository: string; passwordSecret?: string }): Promise<Repo> {
    return {
      repository: j.repository,
      password: await deps.secrets.require(j.passwordSecret ?? `restic/${j.name}`),
    };
  }

  function database(name: string): BackupDatabase {
    const found = allDatabases().find((d) => d.name === name);
    if (!found) {
      const known =
        allDatabases()
          .map((d) => d.name)
          .join(", ") || "none configured (backups.databases in jarvis.yaml)";
      throw new JarvisError("not_found", `No database "${name}"; databases: ${known}`);
    }
    return found;
  }

  /** The server of a database with its password from the secret store (postgres/<name> unless named). */
  async function serverOf(db: BackupDatabase) {
    const password = await deps.secrets.get(db.passwordSecret ?? `postgres/${db.name}`);
    return { host: db.host, port: db.port, user: db.user, password };
  }

  /** The jobs that dump a database. */
  const jobsOf = (name: string) => allJobs().filter((j) => j.databases.includes(name));

  /**
   * Where a database's own dumps (db_backup) go: its `repository` (password restic/<database>), or
   * the repository of the first job that dumps it.
   */
  function databaseUnit(db: BackupDatabase): Unit {
    const owner = jobsOf(db.name)[0];
    if (!db.repository && !owner)
      throw new JarvisError(
        "invalid_config",
        `The ${db.name} database has no repository: list it in a backup job's databases, or set backups.databases[].repository`,
      );
    return {
      key: `db:${db.name}`,
      repository: db.repository ?? owner!.repository,
      passwordSecret: db.repository
        ? `restic/${db.name}`
        : (owner!.passwordSecret ?? `restic/${owner!.name}`),
      paths: [],
      volumes: [],
      databases: [db.name],
      tags: [`db:${db.name}`],
    };
  }

  const jobUnit = (j: BackupJob): Unit => ({
    key: j.name,
    repository: j.repository,
    passwordSecret: j.passwordSecret ?? `restic/${j.name}`,
    paths: j.paths,
    volumes: j.volumes,
    databases: j.databases,
    keep: j.keep,
    tags: [`job:${j.name}`, ...j.databases.map((d) => `db:${d}`)],
  });

  /**
   * pg_dump -Fc of one database into `file`; the password goes by PGPASSWORD, never argv. A
   * database in a container is dumped by the container's own pg_dump (its version matches the
   * server's), over its local socket, streamed into `file` through the Docker API.
   */
  async function dump(db: BackupDatabase, file: string, signal?: AbortSignal): Promise<string> {
    const { password } = await serverOf(db);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    if (db.container) {
      if (!deps.docker)
        throw new JarvisError("unavailable", "No Docker host is configured for container dumps");
      await execInContainer(
        deps.docker.get(db.container.host).docker,
        db.container.name,
        ["pg_dump", "--format=custom", `--username=${db.user}`, "--no-password", "--", db.database],
        {
          env: password ? { PGPASSWORD: password.reveal() } : {},
          stdoutFile: file,
          signal,
          timeoutMs: deps.timeoutMs,
        },
      );
      return file;
    }
    await deps.run(
      "pg_dump",
      [
        "--format=custom",
        `--host=${db.host}`,
        `--port=${db.port}`,
        `--username=${db.user}`,
        `--file=${file}`,
        "--no-password",
        "--",
        db.database,
      ],
      {
        env: password ? { PGPASSWORD: password.reveal() } : {},
        timeoutMs: deps.timeoutMs,
        signal,
        redact: password ? [password.reveal()] : [],
      },
    );
    return file;
  }

  async function volumePath(volume: BackupJob["volumes"][number], signal?: AbortSignal): Promise<string> {
    if (!deps.docker) throw new JarvisError("unavailable", "No Docker host is configured for volume backups");
    const host = deps.docker.get(volume.host);
    const info = (await host.docker
      .getVolume(volume.name)
      .inspect({ abortSignal: signal } as never)) as unknown as {
      Mountpoint: string;
    };
    return info.Mountpoint;
  }

  async function execute(unit: Unit, state: RunningBackup, signal?: AbortSignal) {
    const repo = await repoOf({ name: unit.key, ...unit });
    const paths = [...unit.paths];
    const stopped: Array<{ host?: string; container: string }> = [];
    const dumps = join(deps.dumpDir, unit.key.replace(/[^a-z0-9_-]/gi, "_"));
    try {
      for (const name of unit.databases) {
        state.stage = `dumping database ${name}`;
        paths.push(await dump(database(name), dumpFile(deps.dumpDir, unit.key, name), signal));
      }
      for (const volume of unit.volumes) paths.push(await volumePath(volume, signal));
      for (const volume of unit.volumes) {
        if (!volume.stopContainer || !deps.docker) continue;
        state.stage = `stopping ${volume.stopContainer}`;
        const container = deps.docker.get(volume.host).docker.getContainer(volume.stopContainer);
        const info = await container.inspect();
        if (info.State.Running) {
          stopped.push({ host: volume.host, container: volume.stopContainer });
          await container.stop();
        }
      }
      state.stage = "backing up";
      const backup = () =>
        deps.restic.backup(repo, paths, {
          tags: unit.tags,
          timeoutMs: deps.timeoutMs,
          signal,
          onProgress: (p) => {
            state.progress = p;
          },
        });
      // Every restic call derives the key (scrypt), so the repository is created only when the
      // backup finds none, not probed before each run.
      try {
        return await backup();
      } catch (error) {
        if (!(error instanceof JarvisError && error.code === "not_found")) throw error;
        state.stage = "creating the repository";
        await deps.restic.ensureRepository(repo, signal);
        state.stage = "backing up";
        return await backup();
      }
    } finally {
      // Always start what was stopped, whatever happened to the backup.
      for (const s of stopped) {
        await deps
          .docker!.get(s.host)
          .docker.getContainer(s.container)
          .start()
          .catch((error) =>
            deps.log.error("could not restart a container after its backup", {
              container: s.container,
              error,
            }),
          );
      }
      // Dumps exist only while restic reads them.
      if (unit.databases.length) await rm(dumps, { recursive: true, force: true });
    }
  }

  /** Runs a unit now; a unit already running is a conflict, never a second copy. */
  async function runUnit(unit: Unit, options: { trigger?: "manual" | "schedule"; signal?: AbortSignal }) {
    if (running.has(unit.key)) {
      throw new JarvisError(
        "conflict",
        `The ${unit.key} backup is already running (started ${running.get(unit.key)!.startedAt})`,
      );
    }
    const state: RunningBackup = {
      runId: 0,
      job: unit.key,
      startedAt: new Date().toISOString(),
      stage: "starting",
    };
    running.set(unit.key, state);
    try {
      state.runId = await deps.runs.start(unit.key, options.trigger ?? "manual");
      const summary = await execute(unit, state, options.signal);
      await deps.runs.finish(state.runId, { status: "ok", snapshotId: summary.snapshotId, summary });
      let retention: { removed: number; kept: number } | undefined;
      if (unit.keep && Object.values(unit.keep).some((v) => v !== undefined)) {
        state.stage = "applying retention";
        retention = await deps.restic.forget(await repoOf({ name: unit.key, ...unit }), unit.keep, {
          tag: unit.tags[0],
          signal: options.signal,
        });
      }
      deps.log.info("backup finished", {
        job: unit.key,
        snapshot: summary.snapshotId,
        bytes: summary.totalBytes,
      });
      if (failing.delete(unit.key))
        onFailure?.({
          source: "backup",
          fingerprint: `backup:${unit.key}`,
          status: "resolved",
          labels: { alertname: "BackupFailed", job: unit.key, severity: "warning" },
          annotations: {},
          startsAt: new Date(),
        });
      return {
        job: unit.key,
        runId: state.runId,
        status: "ok" as const,
        ...summary,
        ...(retention ? { retention } : {}),
      };
    } catch (caught) {
      const error = toJarvisError(caught, "tool_failed");
      if (state.runId)
        await deps.runs.finish(state.runId, { status: "failed", error: error.message }).catch(() => {});
      deps.log.warn("backup failed", { job: unit.key, error: error.message });
      failing.add(unit.key);
      onFailure?.({
        source: "backup",
        fingerprint: `backup:${unit.key}`,
        status: "firing",
        labels: { alertname: "BackupFailed", job: unit.key, severity: "warning" },
        annotations: { summary: `The ${unit.key} backup failed`, description: error.message },
        startsAt: new Date(),
      });
      throw error;
    } finally {
      running.delete(unit.key);
    }
  }

  return {
    restic: deps.restic,
    runs: deps.runs,
    postgres: deps.postgres,
    /** The jobs of jarvis.yaml, then the registered ones. */
    get jobs(): BackupJob[] {
      return allJobs();
    },
    get databases(): BackupDatabase[] {
      return allDatabases();
    },
    deployRepository: deps.deployRepository,
    /** Reads the registered jobs (at start-up). */
    async load(): Promise<void> {
      if (deps.stored) stored = await deps.stored.list();
    },
    /** Who registered a job (deploy:<host>/<app>), or undefined for a jarvis.yaml job. */
    origin: (name: string) => stored.find((s) => s.job.name === name)?.origin,
    /** Registers (or replaces) a job; a name taken by a jarvis.yaml job or database is refused. */
    async register(entry: StoredJob): Promise<void> {
      if (!deps.stored) throw new JarvisError("unavailable", "This setup cannot store backup jobs");
      const clash =
        deps.jobs.some((j) => j.name === entry.job.name) ||
        (entry.database && deps.databases.some((d) => d.name === entry.database!.name));
      if (clash)
        throw new JarvisError(
          "conflict",
          `A backup job or database named ${entry.job.name} is in jarvis.yaml`,
        );
      await deps.stored.put(entry);
      stored = [...stored.filter((s) => s.job.name !== entry.job.name), entry];
    },
    /** Removes a registered job (its snapshots stay in the repository); false when there was none. */
    async unregister(name: string): Promise<boolean> {
      if (!deps.stored) return false;
      const removed = await deps.stored.delete(name);
      stored = stored.filter((s) => s.job.name !== name);
      return removed;
    },
    job,
    database,
    jobsOf,
    serverOf,
    repoOf,
    /** The repository a database's snapshots are found in (its own, or its first job's). */
    databaseRepo: (db: BackupDatabase) => {
      const unit = databaseUnit(db);
      return repoOf({ name: unit.key, ...unit });
    },
    /** Called with an alert when a run fails (set once the incidents module exists). */
    set onFailure(handler: ((alert: Alert) => void) | undefined) {
      onFailure = handler;
    },
    running(name?: string): RunningBackup[] {
      return [...running.values()].filter((r) => !name || r.job === name);
    },
    /** Runs a job now; a job already running is a conflict, never a second copy. */
    run: (name: string, options: { trigger?: "manual" | "schedule"; signal?: AbortSignal } = {}) =>
      runUnit(jobUnit(job(name)), options),
    /** Dumps one database now into its repository (tagged db:<name>), recorded as run db:<name>. */
    runDatabase: (name: string, options: { signal?: AbortSignal } = {}) =>
      runUnit(databaseUnit(database(name)), { trigger: "manual", ...options }),
    dump,
    /** The program runner (pg_restore for db_restore). */
    program: deps.run,
  };
}
export type BackupService = ReturnType<typeof createBackupService>;
