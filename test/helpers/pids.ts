import { readdirSync, readFileSync } from "node:fs";

/** The pids of processes whose argument list matches `test` (read from /proc; nothing is touched). */
export function pidsWhere(test: (args: string[]) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0"))) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** The restic processes backing up `path`. */
export const resticPids = (path: string) =>
  pidsWhere((args) => Boolean(args[0]?.endsWith("restic")) && args.includes("backup") && args.includes(path));
