import { createClaim } from "../../events/claims.ts";
import type { Jarvis } from "../../jarvis.ts";
import type { Lease } from "../../jobs/index.ts";
import { startDockerEventsMonitor } from "./docker-events.ts";
import { createEventCursor } from "./event-cursor.ts";
import { startHomeAssistantMonitor } from "./homeassistant.ts";

/** The lease a monitor stream runs under: one process at a time runs it. */
export const monitorLease = (stream: string) => `monitor:${stream}`;

/** The event-stream monitors the configuration enables: `docker-events:<host>` per host, `homeassistant`. */
export function monitorStreams(jarvis: Pick<Jarvis, "config" | "clients">): string[] {
  const streams: string[] = [];
  if (jarvis.config.incidents.monitors.docker)
    for (const host of jarvis.clients.docker.hosts) streams.push(`docker-events:${host.name}`);
  if (jarvis.clients.homeassistant && jarvis.config.homeassistant.alerts.length)
    streams.push("homeassistant");
  return streams;
}

/**
 * Starts the event-stream monitors the configuration enables (Docker events per host, Home
 * Assistant states), each under its own lease: every worker process holds the leases and exactly
 * one at a time runs each stream (always this one without Redis), so an event is seen once
 * however many workers there are. `stop()` ends them and hands the leases on. The periodic
 * monitors (disk, domains) are schedules: src/background.ts.
 */
export function startMonitors(jarvis: Jarvis): { stop(): Promise<void> } {
  const { monitors } = jarvis.config.incidents;
  const log = jarvis.log.child({ component: "monitors" });
  const ingest = jarvis.incidents.ingest;
  const leases: Lease[] = [];
  const lead = (stream: string, start: () => { stop(): void }) => {
    let running: { stop(): void } | undefined;
    leases.push(
      jarvis.leases.hold(monitorLease(stream), {
        start: () => {
          running = start();
        },
        stop: () => {
          running?.stop();
          running = undefined;
        },
      }),
    );
  };
  if (monitors.docker) {
    const cursor = createEventCursor(jarvis.redis);
    const claim = createClaim(jarvis.redis);
    for (const host of jarvis.clients.docker.hosts)
      lead(`docker-events:${host.name}`, () =>
        startDockerEventsMonitor({ hosts: [host], ingest, log, cursor, claim }),
      );
  }
  const ha = jarvis.clients.homeassistant;
  if (ha && jarvis.config.homeassistant.alerts.length) {
    lead("homeassistant", () =>
      startHomeAssistantMonitor({
        client: ha,
        conditions: jarvis.config.homeassistant.alerts,
        ingest,
        isOpen: async (fingerprint) => Boolean(await jarvis.incidents.store.openFor(fingerprint)),
        log,
      }),
    );
  }
  return {
    stop: async () => {
      await Promise.all(leases.map((lease) => lease.stop()));
    },
  };
}

/**
 * Which process leads each monitor stream now (`host:pid`, null when none does: no worker runs,
 * or the lock store does not answer within `ms`), as /healthz shows it on any process.
 */
export async function monitorLeaders(
  jarvis: Pick<Jarvis, "config" | "clients" | "leases">,
  ms = 2000,
): Promise<Record<string, { leader: string | null; here: boolean }>> {
  const entries = await Promise.all(
    monitorStreams(jarvis).map(async (stream) => {
      const leader = await Promise.race([
        jarvis.leases.holder(monitorLease(stream)).catch(() => undefined),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref()),
      ]);
      return [stream, { leader: leader ?? null, here: leader === jarvis.leases.self }] as const;
    }),
  );
  return Object.fromEntries(entries);
}
