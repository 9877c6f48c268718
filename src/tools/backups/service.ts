import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackupDatabase, BackupJob } from "../../config.ts";
import { JarvisError, toJarvisError } from "../../errors.ts";
import type { RunProgram } from "../../exec/run-program.ts";
import type { Alert } from "../../incidents/alert.ts";
import type { Logger } from "../../log.ts";
import type { SecretStore } from "../../secrets/store.ts";
import type { DockerClients } from "../docker/client.ts";
import type { Progress, Repo, Restic } from "./restic.ts";
import type { RunStore } from "./runs.ts";

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
  secrets: SecretStore;
  docker?: DockerClients;
  run: RunProgram;
  timeoutMs: number;
  log: Logger;
}

/**
 * Backup jobs: runs (one at a time per job, with live progress), snapshots, verification, restores
 * and retention. A failed run is reported through `onFailure` (the incidents module's ingest).
 */
export function createBackupService(deps: BackupDeps) {
  const running = new Map<string, RunningBackup>();
  let onFailure: ((alert: Alert) => void) | undefined;
  /** Jobs whose last run failed: their next success resolves the incident. */
  const failing = new Set<string>();

  function job(name: string): BackupJob {
    const found = deps.jobs.find((j) => j.name === name);
    if (!found) {
      const known =
        deps.jobs.map((j) => j.name).join(", ") || "none configured (backups.jobs in jarvis.yaml)";
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
    const found = deps.databases.find((d) => d.name === name);
    if (!found) {
      const known =
        deps.databases.map((d) => d.name).join(", ") || "none configured (backups.databases in jarvis.yaml)";
      throw new JarvisError("not_found", `No database "${name}"; databases: ${known}`);
    }
    return found;
  }

  /** pg_dump -Fc of one database into dir; the password goes by PGPASSWORD, never argv. */
  async function dump(db: BackupDatabase, dir: string, signal?: AbortSignal): Promise<string> {
    const file = join(dir, `${db.name}.dump`);
    const password = await deps.secrets.get(db.passwordSecret ?? `postgres/${db.name}`);
    await deps.run(
      "pg_dump",
      [
        "--format=custom",
        `--host=${db.host}`,
        `--port=${db.port}`,
        `--username=${db.user}`,
        `--file=${file}`,
        "--no-password",
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

  async function execute(j: BackupJob, state: RunningBackup, signal?: AbortSignal) {
    const repo = await repoOf(j);
    const paths = [...j.paths];
    const dumps = j.databases.length ? await mkdtemp(join(tmpdir(), "jarvis-dump-")) : undefined;
    const stopped: Array<{ host?: string; container: string }> = [];
    try {
      for (const name of j.databases) {
        state.stage = `dumping database ${name}`;
        paths.push(await dump(database(name), dumps!, signal));
      }
      for (const volume of j.volumes) paths.push(await volumePath(volume, signal));
      for (const volume of j.volumes) {
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
          tags: [`job:${j.name}`],
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
      if (dumps) await rm(dumps, { recursive: true, force: true });
    }
  }

  return {
    restic: deps.restic,
    runs: deps.runs,
    jobs: deps.jobs,
    databases: deps.databases,
    job,
    database,
    repoOf,
    /** Called with an alert when a run fails (set once the incidents module exists). */
    set onFailure(handler: ((alert: Alert) => void) | undefined) {
      onFailure = handler;
    },
    running(name?: string): RunningBackup[] {
      return [...running.values()].filter((r) => !name || r.job === name);
    },
    /** Runs a job now; a job already running is a conflict, never a second copy. */
    async run(name: string, options: { trigger?: "manual" | "schedule"; signal?: AbortSignal } = {}) {
      const j = job(name);
      if (running.has(j.name)) {
        throw new JarvisError(
          "conflict",
          `The ${j.name} backup is already running (started ${running.get(j.name)!.startedAt})`,
        );
      }
      const state: RunningBackup = {
        runId: 0,
        job: j.name,
        startedAt: new Date().toISOString(),
        stage: "starting",
      };
      running.set(j.name, state);
      try {
        state.runId = await deps.runs.start(j.name, options.trigger ?? "manual");
        const summary = await execute(j, state, options.signal);
        await deps.runs.finish(state.runId, { status: "ok", snapshotId: summary.snapshotId, summary });
        let retention: { removed: number; kept: number } | undefined;
        if (j.keep && Object.values(j.keep).some((v) => v !== undefined)) {
          state.stage = "applying retention";
          retention = await deps.restic.forget(await repoOf(j), j.keep, {
            tag: `job:${j.name}`,
            signal: options.signal,
          });
        }
        deps.log.info("backup finished", {
          job: j.name,
          snapshot: summary.snapshotId,
          bytes: summary.totalBytes,
        });
        if (failing.delete(j.name))
          onFailure?.({
            source: "backup",
            fingerprint: `backup:${j.name}`,
            status: "resolved",
            labels: { alertname: "BackupFailed", job: j.name, severity: "warning" },
            annotations: {},
            startsAt: new Date(),
          });
        return {
          job: j.name,
          runId: state.runId,
          status: "ok" as const,
          ...summary,
          ...(retention ? { retention } : {}),
        };
      } catch (caught) {
        const error = toJarvisError(caught, "tool_failed");
        if (state.runId)
          await deps.runs.finish(state.runId, { status: "failed", error: error.message }).catch(() => {});
        deps.log.warn("backup failed", { job: j.name, error: error.message });
        failing.add(j.name);
        onFailure?.({
          source: "backup",
          fingerprint: `backup:${j.name}`,
          status: "firing",
          labels: { alertname: "BackupFailed", job: j.name, severity: "warning" },
          annotations: { summary: `The ${j.name} backup failed`, description: error.message },
          startsAt: new Date(),
        });
        throw error;
      } finally {
        running.delete(j.name);
      }
    },
    dump,
  };
}
export type BackupService = ReturnType<typeof createBackupService>;
