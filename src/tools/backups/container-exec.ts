import { createReadStream, createWriteStream } from "node:fs";
import { PassThrough } from "node:stream";
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import { JarvisError } from "../../errors.ts";

/** Enough of stderr to say why a program failed, without holding unbounded output. */
const stderrLimit = 8_192;

/**
 * Runs a program inside a running container through the Docker API (exec), with stdout going to
 * `stdoutFile` and/or stdin read from `stdinFile`, and fails with the tail of its stderr when it
 * exits non-zero. Used to run a database's own pg_dump/pg_restore, whose version always matches
 * the server's. The argument array goes to the engine as is (no shell); `env` values (a password)
 * are scrubbed from any error.
 */
export async function execInContainer(
  docker: Docker,
  container: string,
  cmd: string[],
  options: {
    env?: Record<string, string>;
    stdoutFile?: string;
    stdinFile?: string;
    signal?: AbortSignal;
    timeoutMs: number;
  },
): Promise<void> {
  const secrets = Object.values(options.env ?? {}).filter((v) => v.length >= 4);
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join("***"), text);
  const target = docker.getContainer(container);
  let exec: Docker.Exec;
  try {
    exec = await target.exec({
      Cmd: cmd,
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: Boolean(options.stdinFile),
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) throw new JarvisError("not_found", `Container ${container} does not exist`);
    if (status === 409) throw new JarvisError("unavailable", `Container ${container} is not running`);
    throw new JarvisError("tool_failed", `Cannot run ${cmd[0]} in ${container}: ${scrub(String(error))}`);
  }
  const stream = (await exec.start({
    hijack: true,
    stdin: Boolean(options.stdinFile),
  })) as NodeJS.ReadWriteStream & NodeJS.ReadableStream & { destroy(): void };
  const stdout = options.stdoutFile
    ? createWriteStream(options.stdoutFile, { mode: 0o600 })
    : new PassThrough().resume();
  let stderr = "";
  const errors = new PassThrough();
  errors.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-stderrLimit);
  });
  docker.modem.demuxStream(stream, stdout, errors);
  if (options.stdinFile) {
    const input = createReadStream(options.stdinFile);
    input.pipe(stream as NodeJS.WritableStream, { end: false });
    // The engine's hijacked connection ends the program's stdin when the write side is closed.
    input.on("end", () => (stream as unknown as { end(): void }).end());
  }
  let timer: NodeJS.Timeout | undefined;
  const stop = () => stream.destroy();
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    await Promise.race([
      new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("close", resolve);
        stream.on("error", reject);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stop();
          reject(
            new JarvisError("timeout", `${cmd[0]} in ${container} took longer than ${options.timeoutMs} ms`),
          );
        }, options.timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", stop);
    stdout.end();
    if (options.stdoutFile) await finished(stdout).catch(() => {});
  }
  if (options.signal?.aborted) throw new JarvisError("aborted", `${cmd[0]} in ${container} was cancelled`);
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0)
    throw new JarvisError(
      "tool_failed",
      `${cmd[0]} in ${container} exited with ${ExitCode}: ${scrub(stderr.trim()).split("\n").slice(-5).join(" ")}`,
    );
}
