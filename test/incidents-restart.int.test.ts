import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PolicyRule } from "../src/config.ts";
import { type Database, openDatabase } from "../src/db/database.ts";
import { remediationPrincipal } from "../src/incidents/remediate.ts";
import { createJarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { json } from "./helpers/http.ts";
import { testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { spawnServer } from "./helpers/serve-child.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

const _cli = join(import.meta.dirname, "..", "src", "cli", "main.ts");

/** A Jarvis process killed in the middle of a remediation: the next one finishes it, without a second restart. */
describe("remediation across a crash", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-inc-crash-${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-inc-crash-"));
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let base: string;

  async function startServer(): Promise<void> {
    server = (await spawnServer(env)).child;
  }
  const headers = () => ({
    authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
    "content-type": "application/json",
  });
  const get = async (path: string) => json(await fetch(`${base}${path}`, { headers: headers() }));

  beforeAll(async () => {
    // A slow healthcheck (every 3 s) keeps the incident in "verifying" long enough to kill Jarvis there.
    await startUnhealthyContainer(docker, { name, runId: inject("testRunId"), intervalMs: 3000 });
    const config = join(dataDir, "jarvis.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        policy: {
          rules: [{ tool: "docker_restart_container", source: "alert", target: name, action: "allow" }],
        },
      }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      JARVIS_CONFIG: config,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      PORT: String(port),
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
    };
  });
  afterAll(async () => {
    server?.kill("SIGKILL");
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("resumes verification after a SIGKILL and resolves with exactly one restart", async () => {
    await startServer();
    await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
    const posted = await fetch(`${base}/api/alerts/webhook`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({
        title: "ContainerUnhealthy",
        labels: { alertname: "ContainerUnhealthy", container: name },
      }),
    });
    expect(posted.status).toBe(200);
    const { incident: id } = await json(posted);
    await eventually(
      "verifying",
      async () => (await get(`/api/incidents/${id}`)).incident.status === "verifying",
    );
    server!.kill("SIGKILL");
    await new Promise((r) => server!.once("exit", r));
    const startedAfterRestart = (await docker.getContainer(name).inspect()).State.StartedAt;

    await startServer();
    const done = await eventually("resolved after the restart", async () => {
      const { incident } = await get(`/api/incidents/${id}`);
      return incident.status === "resolved" && incident;
    });
    expect(done.attempts).toBe(1);
    expect(done.timeline.some((e: { kind: string; resumed?: string }) => e.resumed === "verifying")).toBe(
      true,
    );
    expect(await healthOf(docker, name)).toBe("healthy");
    expect((await docker.getContainer(name).inspect()).State.StartedAt).toBe(startedAfterRestart);
    const { entries } = await get("/api/audit?tool=docker_restart_container");
    expect(entries.filter((e: { target: string }) => e.target === `local/${name}`)).toHaveLength(1);
  }, 240_000);
});

/**
 * The state a crash leaves between the gate's audit row (written before acting) and the loop
 * recording the action: the next process finds the audit row and verifies instead of acting again.
 */
describe("resuming an incident left remediating", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-inc-remed-${process.pid}`;
  const rules: PolicyRule[] = [
    { tool: "docker_restart_container", source: "alert", target: name, action: "allow" },
  ];
  let database: Database;

  beforeAll(async () => {
    await startUnhealthyContainer(docker, { name, runId: inject("testRunId") });
    database = await openDatabase({ dataDir: "memory://" });
  });
  afterAll(async () => {
    await database?.close();
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("finds the restart in the audit log, does not repeat it, and resolves", async () => {
    await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
    const config = testConfig({ policy: { rules } });
    const first = await createJarvis(config, { log: silentLogger, database });
    const [opened] = await first.incidents.store
      .openOrUpdate(
        {
          source: "webhook",
          fingerprint: `remed-${process.pid}`,
          status: "firing",
          labels: { alertname: "ContainerUnhealthy", container: name },
          annotations: {},
          startsAt: new Date(),
        },
        { title: "ContainerUnhealthy", severity: "warning", container: name },
      )
      .then((r) => [r.incident]);
    const since = new Date(Date.now() - 1000).toISOString();
    await first.incidents.store.update(opened!.id, {
      status: "remediating",
      runbook: "container-unhealthy",
      attempts: 1,
      pendingAction: {
        tool: "docker_restart_container",
        args: { container: name },
        target: `local/${name}`,
        since,
      },
    });
    // The action the crashed process was taking, through the real gate as the remediation principal.
    const done = await first.runTool(
      { tool: "docker_restart_container", args: { container: name } },
      { source: "alert", principal: remediationPrincipal },
    );
    expect(done.status).toBe("ok");
    await first.close();

    const second = await createJarvis(config, { log: silentLogger, database });
    try {
      expect(await second.incidents.resume()).toBe(1);
      await second.incidents.idle();
      const after = await second.incidents.store.get(opened!.id);
      expect(after).toMatchObject({ status: "resolved", attempts: 1 });
      const restarts = (await second.audit.list({ tool: "docker_restart_container" })).filter(
        (row) => row.target === `local/${name}`,
      );
      expect(restarts).toHaveLength(1);
      const events = await second.incidents.store.events(opened!.id);
      expect(events.find((e) => e.kind === "tool_call")?.auditId).toBe(restarts[0]!.id);
    } finally {
      await second.close();
    }
  });

  it("escalates an incident whose approval was denied while no process ran", async () => {
    const config = testConfig({ policy: { rules } });
    const jarvis = await createJarvis(config, { log: silentLogger, database });
    try {
      const { incident } = await jarvis.incidents.store.openOrUpdate(
        {
          source: "webhook",
          fingerprint: `denied-${process.pid}`,
          status: "firing",
          labels: { alertname: "ContainerUnhealthy", container: name },
          annotations: {},
          startsAt: new Date(),
        },
        { title: "ContainerUnhealthy", severity: "warning", container: name },
      );
      const approval = await jarvis.approvals.create({
        tool: "docker_restart_container",
        args: { container: name },
        argsHash: "x",
        target: `local/${name}`,
        risk: "write",
        source: "alert",
        requester: remediationPrincipal.id,
        ttlMs: 60_000,
      });
      await jarvis.incidents.store.update(incident.id, {
        status: "awaiting_approval",
        runbook: "container-unhealthy",
        approvalId: approval.id,
      });
      await jarvis.approvals.decide(approval.id, "denied", "token:admin");
      expect(await jarvis.incidents.resume()).toBe(1);
      await jarvis.incidents.idle();
      const after = await jarvis.incidents.store.get(incident.id);
      expect(after?.status).toBe("escalated");
      expect(after?.summary).toMatch(/denied by token:admin/);
    } finally {
      await jarvis.close();
    }
  });
});
