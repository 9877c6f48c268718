import { statfs } from "node:fs/promises";
import type { DiskMount } from "../../config.ts";
import type { Logger } from "../../log.ts";
import type { Alert } from "../alert.ts";

/** Percent of a filesystem in use, as `df` counts it (blocks available to unprivileged users). */
export async function usedPercent(path: string): Promise<number> {
  const s = await statfs(path);
  const used = s.blocks - s.bfree;
  const total = used + s.bavail;
  return total === 0 ? 0 : (used / total) * 100;
}

/** The alert for one reading: firing over a threshold (critical above warning), resolved below. */
export function diskAlert(
  path: string,
  percent: number,
  thresholds: { warning: number; critical: number },
): Alert {
  const severity = percent >= thresholds.critical ? "critical" : "warning";
  const firing = percent >= thresholds.warning;
  return {
    source: "filesystem",
    fingerprint: `filesystem:${path}`,
    status: firing ? "firing" : "resolved",
    labels: { alertname: "DiskAlmostFull", mountpoint: path, severity },
    annotations: { summary: `${path} is ${Math.round(percent)} % full`, value: percent.toFixed(1) },
    startsAt: new Date(),
  };
}

/**
 * Checks each configured mount on an interval. It reports a mount when it crosses a threshold
 * and again when it drops back below, not on every tick.
 */
export function startDiskMonitor(deps: DiskMonitorDeps & { intervalMs: number }): {
  check(): Promise<void>;
  stop(): void;
} {
  const { check } = createDiskMonitor(deps);
  const timer = setInterval(() => void check(), deps.intervalMs);
  timer.unref();
  void check();
  return { check, stop: () => clearInterval(timer) };
}

export interface DiskMonitorDeps {
  mounts: readonly DiskMount[];
  warning: number;
  critical: number;
  ingest: (alerts: Alert[]) => Promise<unknown>;
  log: Logger;
}

/** One look at every mount per `check()`, with no timer of its own (a schedule drives it). */
export function createDiskMonitor(deps: DiskMonitorDeps): { check(): Promise<void> } {
  const last = new Map<string, string>();
  async function check(): Promise<void> {
    for (const mount of deps.mounts) {
      try {
        const percent = await usedPercent(mount.path);
        const alert = diskAlert(mount.path, percent, {
          warning: mount.warning ?? deps.warning,
          critical: mount.critical ?? deps.critical,
        });
        const state = `${alert.status}:${alert.labels.severity}`;
        if (last.get(mount.path) === state || (!last.has(mount.path) && alert.status === "resolved")) {
          last.set(mount.path, state);
          continue;
        }
        last.set(mount.path, state);
        await deps.ingest([alert]);
      } catch (error) {
        deps.log.warn("disk monitor: cannot read", { path: mount.path, error });
      }
    }
  }
  return { check };
}
