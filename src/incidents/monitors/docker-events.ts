import { type Claim, createClaim } from "../../events/claims.ts";
import type { Logger } from "../../log.ts";
import type { DockerHost } from "../../tools/docker/client.ts";
import type { Alert } from "../alert.ts";
import { createEventCursor, dockerSince, type EventCursor, nanoFromMs } from "./event-cursor.ts";

/** Exit codes of a container stopped by a signal (SIGINT, SIGKILL, SIGTERM): stops, not crashes. */
const stopCodes = new Set(["130", "137", "143"]);

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** How far back a monitor reads on from a stored cursor (older events are taken as handled). */
export const maxReplayMs = 3_600_000;
/** How long an event's claim is kept (longer than any replay, so a replayed event is never ingested twice). */
const claimMs = 2 * maxReplayMs;

/** The alert a Docker event means, if any: unhealthy (and healthy again), a crash, an OOM kill. */
export function alertFromEvent(host: string, event: DockerEvent): Alert | undefined {
  const attributes = event.Actor?.Attributes ?? {};
  const container = attributes.name;
  if (event.Type !== "container" || !container || !event.Action) return undefined;
  const at = event.time ? new Date(event.time * 1000) : new Date();
  const make = (alertname: string, status: Alert["status"], severity: string, summary: string): Alert => ({
    source: "docker",
    fingerprint: `docker:${host}/${container}:${alertname}`,
    status,
    labels: { alertname, container, host, severity },
    annotations: { summary },
    startsAt: at,
    ...(status === "resolved" ? { endsAt: at } : {}),
  });
  if (event.Action === "health_status: unhealthy")
    return make("ContainerUnhealthy", "firing", "warning", `${container} on ${host} is unhealthy`);
  if (event.Action === "health_status: healthy")
    return make("ContainerUnhealthy", "resolved", "warning", `${container} on ${host} is healthy again`);
  if (event.Action === "oom")
    return make("ContainerOOMKilled", "firing", "critical", `${container} on ${host} was OOM-killed`);
  if (event.Action === "die") {
    const code = attributes.exitCode ?? "0";
    if (code === "0" || stopCodes.has(code)) return undefined;
    return make("ContainerDied", "firing", "warning", `${container} on ${host} exited with code ${code}`);
  }
  return undefined;
}

/**
 * Watches Docker events on each host and turns the ones that matter into alerts. A broken
 * stream (the engine restarted, the SSH link dropped) reconnects with backoff and reads on from
 * the last event it handled (Docker's `since`), as does a monitor taking over from another
 * process through a shared `cursor` (at most `maxReplayMs` back). Each event that makes an alert
 * is claimed once (`claim`, shared in Redis), so an event read twice (a replay, two processes
 * both watching for a moment) is ingested once.
 */
export function startDockerEventsMonitor(deps: {
  hosts: readonly DockerHost[];
  ingest: (alerts: Alert[]) => Promise<unknown>;
  log: Logger;
  /** Where each host's stream got to; in memory by default. */
  cursor?: EventCursor;
  /** One ingest per event; in this process by default. */
  claim?: Claim;
}): { stop(): void } {
  const controller = new AbortController();
  const cursor = deps.cursor ?? createEventCursor();
  const claim = deps.claim ?? createClaim();
  const startedAt = Date.now();
  for (const host of deps.hosts) void watch(host);

  async function handle(host: DockerHost, line: string): Promise<void> {
    // timeNano (about 1.7e18) loses digits as a JSON number: read it from the text.
    const timeNano = /"timeNano":\s*(\d+)/.exec(line)?.[1];
    const event = JSON.parse(line) as DockerEvent;
    const alert = alertFromEvent(host.name, event);
    if (alert) {
      const key = `docker-event:${host.name}:${timeNano ?? event.time}:${event.Actor?.ID}:${event.Action}`;
      if (await claim(key, claimMs))
        await deps.ingest([alert]).catch((error) => deps.log.warn("alert not recorded", { error }));
    }
    if (timeNano) await cursor.set(host.name, timeNano);
  }

  async function watch(host: DockerHost): Promise<void> {
    let delay = 1000;
    while (!controller.signal.aborted) {
      try {
        const stored = await cursor.get(host.name);
        // A successor reads on from here even if no event comes before this process goes.
        if (!stored) await cursor.set(host.name, nanoFromMs(startedAt));
        const floor = BigInt(nanoFromMs(Math.max(startedAt - (stored ? maxReplayMs : 0), 0)));
        const since = stored && BigInt(stored) > floor ? BigInt(stored) : floor;
        const stream = (await host.docker.getEvents({
          since: dockerSince(since),
          filters: { type: ["container"], event: ["health_status", "die", "oom"] },
          abortSignal: controller.signal,
        } as never)) as unknown as NodeJS.ReadableStream;
        delay = 1000;
        let buffer = "";
        for await (const chunk of stream) {
          buffer += chunk.toString();
          let newline = buffer.indexOf("\n");
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf("\n");
            if (line) await handle(host, line);
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        deps.log.warn("docker events: stream broke; reconnecting", { host: host.name, error });
      }
      if (controller.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 60_000);
    }
  }
  return { stop: () => controller.abort() };
}
