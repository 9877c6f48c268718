import type { Jarvis } from "../../jarvis.ts";
import { startDockerEventsMonitor } from "./docker-events.ts";
import { startHomeAssistantMonitor } from "./homeassistant.ts";

/**
 * Starts the event-stream monitors the configuration enables (Docker events, Home Assistant
 * states); `stop()` ends them. The periodic ones (disk, domains) are schedules: src/background.ts.
 */
export function startMonitors(jarvis: Jarvis): { stop(): void } {
  const { monitors } = jarvis.config.incidents;
  const log = jarvis.log.child({ component: "monitors" });
  const ingest = jarvis.incidents.ingest;
  const running: Array<{ stop(): void }> = [];
  if (monitors.docker) {
    running.push(startDockerEventsMonitor({ hosts: jarvis.clients.docker.hosts, ingest, log }));
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
