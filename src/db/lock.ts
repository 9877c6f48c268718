import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { JarvisError } from "../errors.ts";

/**
 * An exclusive lock on the data directory. The embedded database allows one process at a time;
 * a second Jarvis (or a CLI while the server runs) must not open it, or it would be corrupted.
 * A lock left by a dead process is taken over.
 */
export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "jarvis.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, "utf8") === String(process.pid)) rmSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new JarvisError(
          "conflict",
          `Another Jarvis process (pid ${pid}) is using ${dataDir}. Stop it, or use its API ` +
            "(the CLI does this by itself when the server is reachable).",
          { details: { pid } },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new JarvisError("conflict", `Cannot lock ${dataDir}`);
}

/** The pid of a live process holding the data directory, if any. */
export function lockHolder(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "jarvis.lock"), "utf8"));
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
