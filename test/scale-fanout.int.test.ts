import type { UIMessageChunk } from "ai";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { approvalIn, createChatClient } from "./helpers/chat-client.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { type Cluster, type ClusterNode, startCluster } from "./helpers/scale-cluster.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

/** Reads a UI message stream (SSE) to its end: its chunks and its text. */
async function readStream(response: Response): Promise<{ chunks: UIMessageChunk[]; text: string }> {
  const body = await response.text();
  const chunks = body
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice(6)) as UIMessageChunk);
  const text = chunks
    .filter((c): c is Extract<UIMessageChunk, { type: "text-delta" }> => c.type === "text-delta")
    .map((c) => c.delta)
    .join("");
  return { chunks, text };
}

/**
 * Two real `jarvis serve` processes (A and B) on one real redis-server and one shared PostgreSQL:
 * approvals on one process resume runs paused on the other, the browser's follow stream on A gets
 * the continuation that B runs, no run resumes twice, rate limits are shared, and a Redis restart
 * in the middle loses nothing.
 */
describe("scale-out: events, approvals and rate limits across processes", { timeout: 400_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-scale-${process.pid}`;
  const limit = 40;
  let sim: OpenAISim;
  let cluster: Cluster;
  let a: ClusterNode;
  let b: ClusterNode;

  const call = (node: ClusterNode, path: string, init: RequestInit = {}, token = cluster.adminToken) =>
    fetch(`${node.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
    });

  /** A chat client (the AI SDK's transport, as the console uses it) connected to `node`. */
  const chatOn = (node: ClusterNode) =>
    createChatClient(
      ((input: string | URL | Request, init?: RequestInit) =>
        fetch(String(input).replace("http://jarvis.test", node.url), init)) as typeof fetch,
      cluster.adminToken,
    );

  /** Starts a conversation on A that pauses for approval of a restart; returns its ids. */
  async function pausedOnA(conversationId: string) {
    sim.script({
      toolCalls: [{ name: "docker_restart_container", arguments: { container: name, timeout: 1 } }],
    });
    const reply = await chatOn(a).say(conversationId, `restart ${name}`);
    const approval = approvalIn(reply);
    expect(approval?.tool).toBe("docker_restart_container");
    return approval!.id;
  }

  /** Opens A's follow stream; resolves once A listens (the response headers are sent after subscribing). */
  async function followOnA(conversationId: string) {
    const response = await call(a, `/api/chat/${conversationId}/stream`);
    expect(response.status).toBe(200);
    return readStream(response);
  }

  const restarts = async () => {
    const response = await call(a, "/api/audit?tool=docker_restart_container&limit=100");
    const { entries } = (await response.json()) as { entries: { outcome: string }[] };
    return entries.filter((row) => row.outcome === "ok").length;
  };

  beforeAll(async () => {
    await startTestContainer(docker, { name, runId: inject("testRunId") });
    sim = await startOpenAISim();
    cluster = await startCluster({
      count: 2,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKER_HOST: `unix://${inject("dockerSocket")}`,
        JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`,
        JARVIS_MODEL_MAX_RETRIES: "0",
        JARVIS_SECRET_KEY: "a".repeat(64),
        JARVIS_RATE_LIMIT: String(limit),
        JARVIS_RATE_LIMIT_WINDOW_SECONDS: "3600",
        JARVIS_MONITOR_DOCKER: "false",
        JARVIS_MONITOR_DISK: "false",
        JARVIS_MONITOR_DOMAINS: "false",
      },
    });
    [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterAll(async () => {
    await cluster?.stop();
    await sim?.close();
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("both processes are ready: database, migrations and Redis", async () => {
    for (const node of [a, b]) {
      const response = await fetch(`${node.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: "ready",
        checks: { database: { ok: true }, migrations: { ok: true }, redis: { ok: true } },
      });
    }
  });

  it("an approval decided on B resumes the run paused on A, and A's chat stream gets the rest of the answer", async () => {
    const conversation = `scale-1-${process.pid}`;
    const approvalId = await pausedOnA(conversation);
    const before = await restarts();
    const followed = followOnA(conversation);
    sim.script({ text: "Restarted it on the other process." });
    const decided = await call(b, `/api/approvals/${approvalId}`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    const { text, chunks } = await followed;
    expect(text).toBe("Restarted it on the other process.");
    expect(chunks.some((c) => c.type === "tool-output-available")).toBe(true);
    expect(chunks.at(-1)?.type).toBe("finish");
    expect(await restarts()).toBe(before + 1);
    // The run is over: nothing to follow, on either process.
    expect((await call(a, `/api/chat/${conversation}/stream`)).status).toBe(204);
    expect((await call(b, `/api/chat/${conversation}/stream`)).status).toBe(204);
    const { runs } = (await (await call(b, `/api/conversations/${conversation}`)).json()) as {
      runs: { status: string }[];
    };
    expect(runs.map((r) => r.status)).toEqual(["done"]);
  });

  it("deciding the same approval on A (in the chat) and on B (the API) at once resumes the run once", async () => {
    const conversation = `scale-2-${process.pid}`;
    const approvalId = await pausedOnA(conversation);
    const before = await restarts();
    const requests = sim.requests.length;
    sim.script({ text: "Restarted once." });
    const [inChat, viaApi] = await Promise.all([
      // The chat transport throws on a non-2xx answer: a lost race is its 409, kept as the error.
      chatOn(a)
        .decide(conversation, approvalId, "approve")
        .catch((error: Error) => error),
      call(b, `/api/approvals/${approvalId}`, {
        method: "POST",
        body: JSON.stringify({ decision: "approve" }),
      }),
    ]);
    // Whoever lost the decision was told so (409), or found the run already taken (an empty stream).
    expect([200, 409]).toContain(viaApi.status);
    if (inChat instanceof Error) {
      expect(inChat.message).toContain("approval_invalid");
      expect(viaApi.status).toBe(200);
    } else expect(inChat.chunks.length).toBeGreaterThan(0);
    // Wait for the run to finish wherever it resumed.
    for (let i = 0; i < 600; i++) {
      const { runs } = (await (await call(a, `/api/conversations/${conversation}`)).json()) as {
        runs: { status: string }[];
      };
      if (runs.at(-1)?.status === "done") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sim.requests.length).toBe(requests + 1);
    expect(sim.remaining()).toBe(0);
    expect(await restarts()).toBe(before + 1);
  });

  it("rate limits are shared: requests split across A and B hit one limit", async () => {
    const created = await call(a, "/api/tokens", {
      method: "POST",
      body: JSON.stringify({ name: `limited-${process.pid}`, role: "viewer" }),
    });
    const { token } = (await created.json()) as { token: string };
    for (let i = 0; i < limit; i++) {
      const response = await call(i % 2 ? b : a, "/api/whoami", {}, token);
      expect(response.status, `request ${i + 1}`).toBe(200);
    }
    for (const node of [a, b]) {
      const refused = await call(node, "/api/whoami", {}, token);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
      // MCP counts against the same token, on both processes.
      expect((await call(node, "/mcp", { method: "POST", body: "{}" }, token)).status).toBe(429);
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    }
  });

  it("Redis killed mid-run and restarted: A reports not ready meanwhile, and the continuation B runs still reaches A's stream", async () => {
    const conversation = `scale-3-${process.pid}`;
    const approvalId = await pausedOnA(conversation);
    const followed = followOnA(conversation);
    await cluster.redis.kill({ hard: true });
    let readiness = await fetch(`${a.url}/readyz`);
    for (let i = 0; i < 100 && readiness.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      readiness = await fetch(`${a.url}/readyz`);
    }
    expect(readiness.status).toBe(503);
    expect(((await readiness.json()) as { checks: { redis: { ok: boolean } } }).checks.redis.ok).toBe(false);
    // Decided on B while Redis is down: B resumes the run from the database; its events wait for Redis.
    sim.script({ text: "Restarted through a Redis outage." });
    const decided = await call(b, `/api/approvals/${approvalId}`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    await cluster.redis.restart();
    const { text, chunks } = await followed;
    expect(text).toBe("Restarted through a Redis outage.");
    expect(chunks.filter((c) => c.type === "finish")).toHaveLength(1);
    for (const node of [a, b]) {
      let ready = await fetch(`${node.url}/readyz`);
      for (let i = 0; i < 100 && ready.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ready = await fetch(`${node.url}/readyz`);
      }
      expect(ready.status).toBe(200);
    }
    expect(a.log()).toContain("redis reconnected");
    expect(b.log()).toContain("redis reconnected");
  });
});
