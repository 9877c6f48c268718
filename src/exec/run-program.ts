import { spawn } from "node:child_process";
import { JarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** How to install each program this runner starts, for the error when it is missing. */
const installHints: Record<string, string> = {
  restic: "apt-get install restic",
  pg_dump: "apt-get install postgresql-client",
  pg_restore: "apt-get install postgresql-client",
  psql: "apt-get install postgresql-client",
  smbclient: "apt-get install smbclient",
  "mount.cifs": "apt-get install cifs-utils",
  umount: "apt-get install mount",
};

export interface RunProgramOptions {
  /** Extra environment: the only way secrets reach a program (with files), never argv. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  /** stdout and stderr are each kept up to this many bytes; the rest is counted, not stored. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Called with each complete stdout line as it arrives (restic --json progress). */
  onLine?: (line: string) => void;
  /** A non-zero exit is an error (default); false returns it for the caller to read. */
  check?: boolean;
  /** Values scrubbed from any output quoted in an error (passwords a program might echo). */
  redact?: readonly string[];
}

export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
}

export type RunProgram = (
  program: string,
  args: readonly string[],
  options: RunProgramOptions,
) => Promise<ProgramResult>;

/** The environment every child starts from: no inheritance of Jarvis's own (it holds API keys). */
function baseEnv(parent: NodeJS.ProcessEnv): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"];
  const env: Record<string, string> = {};
  for (const name of keep) if (parent[name]) env[name] = parent[name]!;
  env.PATH ??= "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return env;
}

function scrub(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (value.length >= 3) out = out.split(value).join("***");
  return out;
}

/** The last few lines of output, for an error message a person or a model can act on. */
export function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join("\n").slice(-1500);
}

/**
 * The one runner for external programs (restic, pg_dump, pg_restore, smbclient, mount.cifs):
 * an argument array and no shell, a fresh minimal environment, a timeout and the caller's abort
 * signal (SIGTERM, then SIGKILL), bounded output, and a log line with the program, its arguments
 * (which never hold secrets), exit code and duration.
 */
export function createRunProgram(options: { log: Logger; parentEnv?: NodeJS.ProcessEnv }): RunProgram {
  const env0 = baseEnv(options.parentEnv ?? process.env);
  return (program, args, run) =>
    new Promise<ProgramResult>((resolvePromise, reject) => {
      const started = performance.now();
      const limit = run.maxOutputBytes ?? 1_048_576;
      const name = program.split("/").at(-1)!;
      const child = spawn(program, [...args], {
        cwd: run.cwd,
        env: { ...env0, ...run.env },
        shell: false,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], sizes: { stdout: 0, stderr: 0 } };
      let truncated = false;
      let pending = "";
      const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
        const room = limit - out.sizes[stream];
        if (room > 0) out[stream].push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        if (chunk.length > room) truncated = true;
        out.sizes[stream] += chunk.length;
        if (stream === "stdout" && run.onLine) {
          pending += chunk.toString("utf8");
          const lines = pending.split("\n");
          pending = lines.pop()!;
          for (const line of lines) if (line.trim()) run.onLine(line);
        }
      };
      child.stdout.on("data", collect("stdout"));
      child.stderr.on("data", collect("stderr"));

      let stopped: "timeout" | "aborted" | undefined;
      const stop = (why: "timeout" | "aborted") => {
        stopped ??= why;
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      };
      const timer = setTimeout(() => stop("timeout"), run.timeoutMs);
      const onAbort = () => stop("aborted");
      run.signal?.addEventListener("abort", onAbort, { once: true });
      if (run.signal?.aborted) onAbort();

      const finish = () => {
        clearTimeout(timer);
        run.signal?.removeEventListener("abort", onAbort);
      };
      child.on("error", (error: NodeJS.ErrnoException) => {
        finish();
        if (error.code === "ENOENT") {
          const hint = installHints[name];
          reject(
            new JarvisError(
              "unavailable",
              `${name} is not installed on the Jarvis host${hint ? ` (${hint})` : ""}`,
              {
                cause: error,
              },
            ),
          );
        } else
          reject(
            new JarvisError("tool_failed", `Could not start ${name}: ${error.message}`, { cause: error }),
          );
      });
      child.on("close", (code, signal) => {
        finish();
        if (pending.trim() && run.onLine) run.onLine(pending);
        const durationMs = Math.round(performance.now() - started);
        const stdout = Buffer.concat(out.stdout).toString("utf8");
        const stderr = Buffer.concat(out.stderr).toString("utf8");
        const exit = code ?? (signal ? 128 : 1);
        options.log.debug("program finished", { program: name, args, code: exit, signal, durationMs });
        if (stopped === "timeout") {
          reject(
            new JarvisError(
              "timeout",
              `${name} did not finish within ${Math.round(run.timeoutMs / 1000)} s and was stopped`,
            ),
          );
          return;
        }
        if (stopped === "aborted") {
          reject(new JarvisError("aborted", `${name} was stopped: the call was cancelled`));
          return;
        }
        if (exit !== 0 && run.check !== false) {
          const said = scrub(tail(stderr || stdout), run.redact ?? []);
          reject(
            new JarvisError("tool_failed", `${name} failed (exit ${exit})${said ? `: ${said}` : ""}`, {
              details: { program: name, exitCode: exit },
            }),
          );
          return;
        }
        resolvePromise({ code: exit, stdout, stderr, truncated, durationMs });
      });
    });
}
