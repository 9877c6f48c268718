import { serve } from "@hono/node-server";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PolicyRule } from "../src/config.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { type Alertmanager, startAlertmanager } from "./helpers/alertmanager.ts";
import { json } from "./helpers/http.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

/**
 * The closed loop end to end: a real Alertmanager calls a real Jarvis server, which restarts a
 * real container through the gate and verifies it healthy; with approvals, failures, storms.
 */
describe("alerts → incidents → remediation", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const pid = process.pid;
  const names = {
    allow: `jt-inc-allow-${pid}`,
    ask: `jt-inc-ask-${pid}`,
    broken: `jt-inc-broken-${pid}`,
  };
  const rules: PolicyRule[] = [
    { tool: "docker_restart_container", source: "alert", target: names.allow, action: "allow" },
    { tool: "docker_restart_container", source: "alert", target: names.broken, action: "allow" },
  ];
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;
  let alertmanager: Alertmanager;
  const tokens = { admin: "", alerts: "", viewer: "" };

  const api = async (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const incidentFor = async (container: string) => {
    const { incidents } = await json(await api("GET", "/api/incidents", tokens.admin));
    return incidents.find((i: { labels: Record<string, string> }) => i.labels.container === container);
  };
  const incident = async (id: string) =>
    (await json(await api("GET", `/api/incidents/${id}`, tokens.admin))).incident;
  const restarts = async (container: string) =>
    (await jarvis.audit.list({ tool: "docker_restart_container", limit: 1000 })).filter(
      (row) => row.target === `local/${container}` && row.outcome !== "approval_required",
    );
  const unhealthy = (name: string) =>
    eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");

  beforeAll(async () => {
    await Promise.all([
      startUnhealthyContainer(docker, { name: names.allow, runId }),
      startUnhealthyContainer(docker, { name: names.ask, runId }),
      startUnhealthyContainer(docker, { name: names.broken, runId, fixable: false }),
    ]);
    jarvis = await createTestJarvis({
      config: testConfig({
        policy: { rules },
        incidents: { ...testConfig().incidents, maxActionsPerHour: 2 },
      }),
    });
    const port = await freePort();
    server = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port });
    base = `http://127.0.0.1:${port}`;
    tokens.admin = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
    tokens.alerts = (
      await jarvis.tokens.create({ name: "alertmanager", role: "viewer", scopes: ["alerts"] })
    ).token;
    tokens.viewer = (await jarvis.tokens.create({ name: "viewer", role: "viewer" })).token;
    alertmanager = await startAlertmanager({
      webhookUrl: `${base}/api/alerts/alertmanager`,
      token: tokens.alerts,
    });
  });
  afterAll(async () => {
    await alertmanager?.stop();
    if (server) {
      const closed = new Promise((resolve) => server.close(resolve));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    }
    await jarvis?.close();
    await Promise.all(
      Object.values(names).map((n) =>
        docker
          .getContainer(n)
          .remove({ force: true })
          .catch(() => {}),
      ),
    );
  });

  it("refuses alerts without the alerts scope and explains bad payloads", async () => {
    const viewer = await api("POST", "/api/alerts/webhook", tokens.viewer, { title: "x" });
    expect(viewer.status).toBe(403);
    expect((await json(viewer)).error.message).toMatch(/alerts" scope/);
    const bad = await api("POST", "/api/alerts/alertmanager", tokens.alerts, { version: "3", alerts: [] });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/version/);
    expect((await json(await api("GET", "/api/incidents", tokens.admin))).incidents).toEqual([]);
  });

  it("restarts an unhealthy container that policy allows, verifies it healthy and resolves", async () => {
    await unhealthy(names.allow);
    const before = (await docker.getContainer(names.allow).inspect()).State.StartedAt;
    await alertmanager.post([
      {
        labels: {
          alertname: "ContainerUnhealthy",
          container: names.allow,
          host: "local",
          severity: "warning",
        },
      },
    ]);
    const opened = await eventually("the incident", () => incidentFor(names.allow));
    const done = await eventually("resolved", async () => {
      const current = await incident(opened.id);
      return current.status === "resolved" && current;
    });
    expect(done.runbook).toBe("container-unhealthy");
    expect(done.attempts).toBe(1);
    expect(await healthOf(docker, names.allow)).toBe("healthy");
    expect((await docker.getContainer(names.allow).inspect()).State.StartedAt).not.toBe(before);
    const audited = await restarts(names.allow);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ source: "alert", decision: "allow", outcome: "ok" });
    const kinds = done.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["alert", "evidence", "decision", "tool_call", "status"]));
    const call = done.timeline.find((e: { kind: string }) => e.kind === "tool_call");
    expect(call.auditId).toBe(audited[0]!.id);
    // It leaves a memory of what was wrong and what fixed it, sourced to the incident.
    const remembered = await eventually("the incident's memory", async () => {
      const { memories } = await jarvis.memory.list({ kind: "incident" });
      return memories.find((m) => m.source?.id === opened.id);
    });
    expect(remembered).toMatchObject({ scope: `service:${names.allow}`, source: { type: "incident" } });
    expect(remembered.text).toContain("was resolved");
    expect(remembered.text).toContain("docker_restart_container");
  });

  it("asks for approval when policy asks, and continues the loop once approved through the API", async () => {
    await unhealthy(names.ask);
    await alertmanager.post([{ labels: { alertname: "ContainerUnhealthy", container: names.ask } }]);
    const waiting = await eventually("awaiting approval", async () => {
      const found = await incidentFor(names.ask);
      return found?.status === "awaiting_approval" && found;
    });
    expect(await restarts(names.ask)).toHaveLength(0);
    const { approvals } = await json(await api("GET", "/api/approvals?status=pending", tokens.admin));
    const approval = approvals.find((a: { id: string }) => a.id === waiting.approvalId);
    expect(approval).toMatchObject({
      tool: "docker_restart_container",
      source: "alert",
      target: `local/${names.ask}`,
    });
    const decided = await api("POST", `/api/approvals/${approval.id}`, tokens.admin, { decision: "approve" });
    expect(decided.status).toBe(200);
    const done = await eventually("resolved", async () => {
      const current = await incident(waiting.id);
      return current.status === "resolved" && current;
    });
    expect(await healthOf(docker, names.ask)).toBe("healthy");
    expect(await restarts(names.ask)).toHaveLength(1);
    expect(
      done.timeline
        .filter((e: { kind: string }) => e.kind === "approval")
        .map((e: { status: string }) => e.status),
    ).toEqual(["requested", "approved"]);
  });

  it("escalates a fix that does not work after the runbook's attempts, then the circuit breaker stays open", async () => {
    await unhealthy(names.broken);
    await alertmanager.post([{ labels: { alertname: "ContainerUnhealthy", container: names.broken } }]);
    const first = await eventually("escalated", async () => {
      const found = await incidentFor(names.broken);
      return found?.status === "escalated" && found;
    });
    expect(first.attempts).toBe(2);
    expect(first.summary).toMatch(/not fixed after 2 attempt/);
    expect(await restarts(names.broken)).toHaveLength(2);

    // Another alert for the same container: the breaker (2 per hour here) refuses a third restart.
    const posted = await api("POST", "/api/alerts/webhook", tokens.alerts, {
      title: "ContainerUnhealthy",
      labels: { alertname: "ContainerUnhealthy", container: names.broken, via: "webhook" },
    });
    expect(posted.status).toBe(200);
    const { incident: secondId, created } = await json(posted);
    expect(created).toBe(true);
    const second = await eventually("escalated by the breaker", async () => {
      const current = await incident(secondId);
      return current.status === "escalated" && current;
    });
    expect(second.summary).toMatch(/Circuit breaker open/);
    expect(await restarts(names.broken)).toHaveLength(2);
    // The second incident recalled how the first one ended.
    const recalled = second.timeline.find((e: { kind: string; recalled?: string[] }) => e.recalled);
    expect(recalled?.recalled.join("\n")).toMatch(/not fixed after 2 attempt/);
  });

  it("turns a storm of 1,000 identical alerts into one incident", async () => {
    const payload = {
      version: "4",
      status: "firing",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "StormTest", instance: `storm-${pid}` },
          fingerprint: `storm-${pid}`,
        },
      ],
    };
    for (let batch = 0; batch < 20; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => api("POST", "/api/alerts/alertmanager", tokens.alerts, payload)),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
    }
    const { incidents } = await json(await api("GET", "/api/incidents?limit=1000", tokens.admin));
    const storm = incidents.filter((i: { fingerprint: string }) => i.fingerprint === `storm-${pid}`);
    expect(storm).toHaveLength(1);
    expect(storm[0].alertCount).toBe(1000);
  }, 240_000);
});
