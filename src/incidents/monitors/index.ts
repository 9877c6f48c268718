import type { Jarvis } from "../../jarvis.ts";
import { startDiskMonitor } from "./disk.ts";
import { startDockerEventsMonitor } from "./docker-events.ts";
import { startDomainMonitor } from "./domains.ts";
import { startHomeAssistantMonitor } from "./homeassistant.ts";

/** Starts the built-in monitors the configuration enables; `stop()` ends them all. */
export function startMonitors(jarvis: Jarvis): { stop(): void } {
  const { monitors } = jarvis.config.incidents;
  const log = jarvis.log.child({ component: "monitors" });
  const ingest = jarvis.incidents.ingest;
  const running: Array<{ stop(): void }> = [];
  if (monitors.docker) {
    running.push(startDockerEventsMonitor({ hosts: jarvis.clients.docker.hosts, ingest, log }));
  }
  if (monitors.disk.enabled && monitors.disk.mounts.length) {
    running.push(
      startDiskMonitor({
        mounts: monitors.disk.mounts,
        warning: monitors.disk.warning,
        critical: monitors.disk.critical,
        intervalMs: monitors.disk.intervalSeconds * 1000,
        ingest,
        log,
      }),
    );
  }
  const network = jarvis.clients.network;
  if (monitors.domains.enabled && network?.domains.length) {
    running.push(
      startDomainMonitor({
        network,
        thresholds: {
          warningDays: monitors.domains.warningDays,
          criticalDays: monitors.domains.criticalDays,
        },
        intervalMs: monitors.domains.intervalMinutes * 60_000,
        ingest,
        log,
      }),
    );
  }
  const ha = jarvis.clients.homeassistant;
  if (ha && jarvis.config.homeassistant.alerts.length) {
    running.push(
      startHomeAssistantMonitor({ client: ha, conditions: jarvis.config.homeassistant.alerts, ingest, log }),
    );
  }
  return {
    stop: () => {
      for (const monitor of running) monitor.stop();
    },
  };
}
