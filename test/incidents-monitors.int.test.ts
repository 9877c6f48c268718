import { tmpdir } from "node:os";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startDiskMonitor } from "../src/incidents/monitors/disk.ts";
import { startDockerEventsMonitor } from "../src/incidents/monitors/docker-events.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";
import { eventually, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

/** The built-in monitors alone, without Alertmanager: real Docker events, a real filesystem. */
describe("built-in monitors", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-inc-mon-${process.pid}`;
  let jarvis: Jarvis;
  const stops: Array<{ stop(): void }> = [];

  beforeAll(async () => {
    jarvis = await createTestJarvis();
  });
  afterAll(async () => {
    for (const monitor of stops) monitor.stop();
    await jarvis?.close();
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("opens an incident from Docker's health_status event and asks before restarting", async () => {
    stops.push(
      startDockerEventsMonitor({
        hosts: jarvis.clients.docker.hosts,
        ingest: jarvis.incidents.ingest,
        log: silentLogger,
      }),
    );
    // No wait for the stream to connect: it asks Docker for the events since the monitor started.
    await startUnhealthyContainer(docker, { name, runId: inject("testRunId") });
    const incident = await eventually("an incident for the container", async () => {
      const open = await jarvis.incidents.store.list({ open: true });
      return open.find((i) => (i.labels as Record<string, string>).container === name);
    });
    expect(incident).toMatchObject({
      source: "docker",
      fingerprint: `docker:local/${name}:ContainerUnhealthy`,
      targetHost: "local",
      targetContainer: name,
    });
    const waiting = await eventually("the approval request", async () => {
      const current = await jarvis.incidents.store.get(incident.id);
      return current?.status === "awaiting_approval" && current;
    });
    const approval = await jarvis.approvals.get(waiting.approvalId!);
    expect(approval).toMatchObject({ tool: "docker_restart_container", source: "alert", status: "pending" });
  });

  it("reports a mount over its threshold once, with a read-only plan and a gated prune", async () => {
    const path = tmpdir();
    const monitor = startDiskMonitor({
      mounts: [{ path, warning: 1, critical: 100 }],
      warning: 85,
      critical: 95,
      intervalMs: 3_600_000,
      ingest: jarvis.incidents.ingest,
      log: silentLogger,
    });
    stops.push(monitor);
    const incident = await eventually("the disk incident", async () => {
      const current = await jarvis.incidents.store.openFor(`filesystem:${path}`);
      return current?.status === "awaiting_approval" && current;
    });
    expect(incident).toMatchObject({ runbook: "disk-almost-full", severity: "warning", alertCount: 1 });
    await monitor.check();
    expect((await jarvis.incidents.store.get(incident.id))?.alertCount).toBe(1);
    const approval = await jarvis.approvals.get(incident.approvalId!);
    expect(approval).toMatchObject({ tool: "docker_prune", args: { what: "images", host: "local" } });
  });
});
