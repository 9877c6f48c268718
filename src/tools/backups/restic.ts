import { JarvisError } from "../../errors.ts";
import type { ProgramResult, RunProgram } from "../../exec/run-program.ts";
import type { Secret } from "../../secret.ts";

/** Where a restic call goes: the repository (passed by environment, it may hold credentials) and its password. */
export interface Repo {
  repository: string;
  password: Secret;
}

/** One progress report of a running backup, from restic's --json status lines. */
export interface Progress {
  percent: number;
  filesDone: number;
  totalFiles: number;
  bytesDone: number;
  totalBytes: number;
  secondsElapsed: number;
  /** restic's own estimate; absent until it has one. */
  etaSeconds?: number;
}

export interface BackupSummary {
  snapshotId: string;
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  dataAddedBytes: number;
  totalFiles: number;
  totalBytes: number;
  durationSeconds: number;
}

export interface Snapshot {
  id: string;
  shortId: string;
  time: string;
  paths: string[];
  tags: string[];
  hostname: string;
}

export interface Restic {
  /** Creates the repository if it does not exist yet; true when it did. */
  ensureRepository(repo: Repo, signal?: AbortSignal): Promise<boolean>;
  backup(
    repo: Repo,
    paths: readonly string[],
    options: {
      tags?: readonly string[];
      onProgress?: (p: Progress) => void;
      signal?: AbortSignal;
      timeoutMs: number;
    },
  ): Promise<BackupSummary>;
  snapshots(repo: Repo, options?: { tag?: string; signal?: AbortSignal }): Promise<Snapshot[]>;
  /** restic check; with readDataPercent, also reads that share of the pack files back. */
  check(
    repo: Repo,
    options?: { readDataPercent?: number; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<string>;
  restore(
    repo: Repo,
    snapshot: string,
    target: string,
    options?: { include?: string; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<void>;
  forget(
    repo: Repo,
    keep: { daily?: number; weekly?: number; monthly?: number },
    options?: { tag?: string; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<{ removed: number; kept: number }>;
}

const quickMs = 120_000;

/** restic's errors, said so that a person knows what to fix. */
function resticError(error: unknown, repo: Repo): never {
  if (error instanceof JarvisError && error.code === "tool_failed") {
    if (/wrong password|no key found/i.test(error.message)) {
      throw new JarvisError(
        "denied",
        "The restic repository refused the password: the stored password is wrong for this repository",
        { cause: error },
      );
    }
    if (
      /repository does not exist|unable to open config file|Is there a repository at/i.test(error.message)
    ) {
      throw new JarvisError(
        "not_found",
        `No restic repository at the configured location (${safeRepo(repo.repository)})`,
        { cause: error },
      );
    }
    if (/unable to create lock|repository is already locked/i.test(error.message)) {
      throw new JarvisError(
        "conflict",
        "The restic repository is locked by another run; wait for it or run restic unlock if it crashed",
        { cause: error },
      );
    }
  }
  throw error;
}

/** A repository location without credentials, for messages. */
export function safeRepo(repository: string): string {
  return repository.replace(/\/\/[^/@]*@/, "//***@").replace(/(:[a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

function parseLines(stdout: string): unknown[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim().startsWith("{") || l.trim().startsWith("["))
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
}

/** restic through the program runner: repository and password by environment, never argv. */
export function createRestic(options: { run: RunProgram; cacheDir: string; binary?: string }): Restic {
  const binary = options.binary ?? "restic";
  const call = (
    repo: Repo,
    args: string[],
    extra: {
      signal?: AbortSignal;
      timeoutMs?: number;
      onLine?: (l: string) => void;
      check?: boolean;
      maxOutputBytes?: number;
    } = {},
  ): Promise<ProgramResult> =>
    options
      .run(binary, args, {
        env: {
          RESTIC_REPOSITORY: repo.repository,
          RESTIC_PASSWORD: repo.password.reveal(),
          RESTIC_CACHE_DIR: options.cacheDir,
          // Without a terminal restic reports progress once a minute; JSON status lines twice a second.
          RESTIC_PROGRESS_FPS: "2",
        },
        timeoutMs: extra.timeoutMs ?? quickMs,
        signal: extra.signal,
        onLine: extra.onLine,
        check: extra.check,
        maxOutputBytes: extra.maxOutputBytes,
        redact: [repo.password.reveal()],
      })
      .catch((error) => resticError(error, repo));

  return {
    async ensureRepository(repo, signal) {
      const probe = await call(repo, ["cat", "config", "--quiet"], { signal, check: false });
      if (probe.code === 0) return false;
      if (/wrong password|no key found/i.test(probe.stderr))
        resticError(new JarvisError("tool_failed", probe.stderr), repo);
      await call(repo, ["init", "--quiet"], { signal });
      return true;
    },
    async backup(repo, paths, run) {
      let summary: Record<string, unknown> | undefined;
      let lastError: string | undefined;
      await call(
        repo,
        ["backup", "--json", ...(run.tags ?? []).flatMap((t) => ["--tag", t]), "--", ...paths],
        {
          signal: run.signal,
          timeoutMs: run.timeoutMs,
          maxOutputBytes: 65_536,
          onLine: (line) => {
            let m: Record<string, unknown>;
            try {
              m = JSON.parse(line);
            } catch {
              return;
            }
            if (m.message_type === "status") {
              const n = (k: string) => (typeof m[k] === "number" ? (m[k] as number) : 0);
              run.onProgress?.({
                percent: Math.round(n("percent_done") * 1000) / 10,
                filesDone: n("files_done"),
                totalFiles: n("total_files"),
                bytesDone: n("bytes_done"),
                totalBytes: n("total_bytes"),
                secondsElapsed: n("seconds_elapsed"),
                ...(typeof m.seconds_remaining === "number" ? { etaSeconds: m.seconds_remaining } : {}),
              });
            } else if (m.message_type === "summary") summary = m;
            else if (m.message_type === "error") lastError = JSON.stringify(m.error ?? m).slice(0, 300);
          },
        },
      );
      if (!summary)
        throw new JarvisError(
          "tool_failed",
          `restic backup printed no summary${lastError ? `: ${lastError}` : ""}`,
        );
      const n = (k: string) => (typeof summary![k] === "number" ? (summary![k] as number) : 0);
      return {
        snapshotId: String(summary.snapshot_id ?? ""),
        filesNew: n("files_new"),
        filesChanged: n("files_changed"),
        filesUnmodified: n("files_unmodified"),
        dataAddedBytes: n("data_added"),
        totalFiles: n("total_files_processed"),
        totalBytes: n("total_bytes_processed"),
        durationSeconds: n("total_duration"),
      };
    },
    async snapshots(repo, opts = {}) {
      const result = await call(repo, ["snapshots", "--json", ...(opts.tag ? ["--tag", opts.tag] : [])], {
        signal: opts.signal,
        maxOutputBytes: 16 * 1024 * 1024,
      });
      const list = (parseLines(result.stdout)[0] ?? []) as Array<Record<string, unknown>>;
      return list.map((s) => ({
        id: String(s.id),
        shortId: String(s.short_id ?? String(s.id).slice(0, 8)),
        time: String(s.time),
        paths: (s.paths as string[]) ?? [],
        tags: (s.tags as string[]) ?? [],
        hostname: String(s.hostname ?? ""),
      }));
    },
    async check(repo, opts = {}) {
      const args = [
        "check",
        ...(opts.readDataPercent ? [`--read-data-subset=${opts.readDataPercent}%`] : []),
      ];
      const result = await call(repo, args, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 600_000 });
      return result.stdout.trim().split("\n").at(-1) ?? "no errors were found";
    },
    async restore(repo, snapshot, target, opts = {}) {
      const args = [
        "restore",
        snapshot,
        "--target",
        target,
        ...(opts.include ? ["--include", opts.include] : []),
      ];
      await call(repo, args, { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 3_600_000 });
    },
    async forget(repo, keep, opts = {}) {
      const args = [
        "forget",
        "--json",
        "--prune",
        ...(keep.daily !== undefined ? ["--keep-daily", String(keep.daily)] : []),
        ...(keep.weekly !== undefined ? ["--keep-weekly", String(keep.weekly)] : []),
        ...(keep.monthly !== undefined ? ["--keep-monthly", String(keep.monthly)] : []),
        ...(opts.tag ? ["--tag", opts.tag] : []),
      ];
      const result = await call(repo, args, {
        signal: opts.signal,
        timeoutMs: opts.timeoutMs ?? 3_600_000,
        maxOutputBytes: 16 * 1024 * 1024,
      });
      const groups = (parseLines(result.stdout).find(Array.isArray) ?? []) as Array<{
        keep?: unknown[];
        remove?: unknown[] | null;
      }>;
      return {
        removed: groups.reduce((s, g) => s + (g.remove?.length ?? 0), 0),
        kept: groups.reduce((s, g) => s + (g.keep?.length ?? 0), 0),
      };
    },
  };
}
