import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ApprovalView } from "../src/agent/approvals.ts";
import { type Cluster, type ClusterNode, startCluster } from "./helpers/scale-cluster.ts";
import { readSse } from "./helpers/sse.ts";

type Event = { type: string; approval: ApprovalView };

/**
 * Two real `jarvis serve` processes on one real redis-server and one shared PostgreSQL: an
 * approval asked for on B reaches the approvals stream of a console connected to A, and A's
 * decision reaches B's stream, even across a Redis restart.
 */
describe("scale-out: the approvals stream across processes", { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "jarvis-scale-approvals-"));
  let cluster: Cluster;
  let a: ClusterNode;
  let b: ClusterNode;

  const call = (node: ClusterNode, path: string, init: RequestInit = {}) =>
    fetch(`${node.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${cluster.adminToken}`, "content-type": "application/json" },
    });
  const streamOn = async (node: ClusterNode, signal: AbortSignal) => {
    const response = await call(node, "/api/approvals/stream", { signal });
    expect(response.status).toBe(200);
    const events = readSse(response);
    await events.event("pending");
    return events;
  };

  beforeAll(async () => {
    // Forgetting a memory from the API needs no approval by default; this policy asks, so an
    // approval needs nothing but the two processes.
    const config = join(dir, "jarvis.yaml");
    writeFileSync(config, "policy:\n  rules:\n    - { tool: memory_forget, action: ask }\n");
    cluster = await startCluster({
      count: 2,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        JARVIS_CONFIG: config,
        DOCKER_HOST: `unix://${inject("dockerSocket")}`,
        JARVIS_SECRET_KEY: "b".repeat(64),
        JARVIS_MONITOR_DOCKER: "false",
        JARVIS_MONITOR_DISK: "false",
        JARVIS_MONITOR_DOMAINS: "false",
      },
    });
    [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an approval asked for on B reaches A's stream, and A's decision reaches B's", async () => {
    const controller = new AbortController();
    const [onA, onB] = [await streamOn(a, controller.signal), await streamOn(b, controller.signal)];

    const asked = await call(b, "/api/tools/memory_forget/call", {
      method: "POST",
      body: JSON.stringify({ id: "mem_999999" }),
    });
    expect(asked.status).toBe(202);
    const { approval } = (await asked.json()) as { approval: { id: string } };
    const created = await onA.event<Event>("approval-created", (e) => e.approval.id === approval.id);
    expect(created.approval).toMatchObject({ tool: "memory_forget", status: "pending", source: "api" });

    const denied = await call(a, `/api/approvals/${approval.id}`, {
      method: "POST",
      body: JSON.stringify({ decision: "deny", reason: "not this one" }),
    });
    expect(denied.status).toBe(200);
    const decided = await onB.event<Event>("approval-decided", (e) => e.approval.id === approval.id);
    expect(decided.approval).toMatchObject({ status: "denied", decisionReason: "not this one" });
    // The stream of the process that decided hears it too, and B's heard the creation.
    await onA.event<Event>("approval-decided", (e) => e.approval.id === approval.id);
    expect(
      onB.seen.some(
        (f) =>
          "data" in f &&
          (f.data as Event).type === "approval-created" &&
          (f.data as Event).approval.id === approval.id,
      ),
    ).toBe(true);
    controller.abort();

    // A console that connects now to either process starts without it: it is no longer pending.
    const late = new AbortController();
    const response = await call(a, "/api/approvals/stream", { signal: late.signal });
    const snapshot = (await readSse(response).event("pending")) as unknown as { approvals: ApprovalView[] };
    expect(snapshot.approvals.map((x) => x.id)).not.toContain(approval.id);
    late.abort();
  });

  it("a stream open through a Redis restart still gets an approval asked for on B while Redis was down", async () => {
    const controller = new AbortController();
    const onA = await streamOn(a, controller.signal);
    await cluster.redis.kill({ hard: true });
    // B records the approval in the database now; its announcement waits for Redis.
    const asked = await call(b, "/api/tools/memory_forget/call", {
      method: "POST",
      body: JSON.stringify({ id: "mem_999998" }),
    });
    expect(asked.status).toBe(202);
    const { approval } = (await asked.json()) as { approval: { id: string } };
    await cluster.redis.restart();
    const created = await onA.event<Event>("approval-created", (e) => e.approval.id === approval.id);
    expect(created.approval).toMatchObject({ tool: "memory_forget", status: "pending" });
    controller.abort();
  });
});
