import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** The CLI entry point the tests run as a child process. */
export const cliPath = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

export interface ServeChild {
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  log(): string;
}

/**
 * Starts `jarvis serve` as a child process with exactly `env` and waits until it says it is
 * listening: generously (a loaded machine takes a while to load modules and migrate the database),
 * and loudly, with the server's log, if it exits or never listens.
 */
export async function spawnServer(
  env: NodeJS.ProcessEnv,
  timeoutMs = 100_000,
  args: readonly string[] = [],
): Promise<ServeChild> {
  const child = spawn(process.execPath, [cliPath, "serve", ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr!.on("data", (chunk) => {
    log += chunk;
  });
  const until = Date.now() + timeoutMs;
  while (!/listening on/.test(log)) {
    if (child.exitCode !== null) throw new Error(`jarvis serve exited (${child.exitCode}): ${log}`);
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`jarvis serve did not listen within ${timeoutMs / 1000} s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, log: () => log };
}
