import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ApprovalView } from "../src/agent/approvals.ts";
import type { EventBus } from "../src/events/bus.ts";
import { createInProcessBus } from "../src/events/in-process.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { authenticate } from "../src/server/auth.ts";
import type { AppEnv } from "../src/server/env.ts";
import { approvalRoutes } from "../src/server/routes/approvals.ts";
import { approvalIn, createChatClient } from "./helpers/chat-client.ts";
import { json } from "./helpers/http.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { readSse } from "./helpers/sse.ts";
import { createTestTools } from "./helpers/test-tools.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

type Role = "admin" | "operator" | "viewer";
type Event = { type: string; approval: ApprovalView };

/** The in-process event bus, counting the listeners it holds (to see a stream stop listening). */
function countingBus(): EventBus & { listening(): number } {
  const bus = createInProcessBus();
  let listening = 0;
  return {
    ...bus,
    kind: bus.kind,
    listening: () => listening,
    async subscribe(channel, listener) {
      const unsubscribe = await bus.subscribe(channel, listener);
      listening++;
      let once = false;
      return async () => {
        if (!once) listening--;
        once = true;
        await unsubscribe();
      };
    },
  };
}

/**
 * GET /api/approvals/stream on one process (the in-process bus) over a real HTTP server: the
 * pending snapshot, approvals created through the real gate and decided through the API, redacted,
 * the same for a viewer as GET /api/approvals, and listening stops when the client goes away.
 */
describe("the approvals event stream", { timeout: 60_000 }, () => {
  const { tools, runs } = createTestTools();
  const bus = countingBus();
  const tokens: Record<Role, string> = { admin: "", operator: "", viewer: "" };
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;

  const call = (path: string, role: Role, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
    });
  const stream = async (role: Role, signal?: AbortSignal) => {
    const response = await call("/api/approvals/stream", role, { signal });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    return readSse(response);
  };
  /** Asks for a restart through the real gate over the API: 202 and a pending approval. */
  const ask = async (thing: string, extra: Record<string, string> = {}) => {
    const response = await call("/api/tools/test_restart_thing/call", "operator", {
      method: "POST",
      body: JSON.stringify({ thing, ...extra }),
    });
    expect(response.status).toBe(202);
    return (await json(response)).approval as { id: string };
  };
  const decide = async (id: string, decision: "approve" | "deny") => {
    const response = await call(`/api/approvals/${id}`, "admin", {
      method: "POST",
      body: JSON.stringify({ decision }),
    });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    jarvis = await createTestJarvis({ tools, events: bus });
    for (const role of ["admin", "operator", "viewer"] as const) {
      tokens[role] = (await jarvis.tokens.create({ name: role, role })).token;
    }
    server = await new Promise((resolve) => {
      const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await jarvis?.close();
  });

  it("refuses a request without a token or session", async () => {
    const response = await fetch(`${base}/api/approvals/stream`);
    expect(response.status).toBe(401);
    expect(bus.listening()).toBe(0);
  });

  it("starts with the pending approvals, then streams a new one (redacted) and its decision", async () => {
    const earlier = await ask("before-stream");
    const events = await stream("operator");
    const first = (await events.event("pending")) as unknown as { approvals: ApprovalView[] };
    expect(first.approvals.map((a) => a.id)).toContain(earlier.id);

    const asked = await ask("web", { password: "hunter2hunter2" });
    const created = await events.event<Event>("approval-created", (e) => e.approval.id === asked.id);
    expect(created.approval).toMatchObject({
      tool: "test_restart_thing",
      target: "lab/web",
      status: "pending",
      requester: "token:operator",
      source: "api",
    });
    expect(JSON.stringify(created)).not.toContain("hunter2hunter2");
    expect((created.approval.args as { password: string }).password).not.toBe("hunter2hunter2");

    const ran = runs.length;
    await decide(asked.id, "approve");
    const decided = await events.event<Event>("approval-decided", (e) => e.approval.id === asked.id);
    expect(decided.approval).toMatchObject({ status: "approved", decidedBy: "token:admin" });
    expect(runs.length).toBe(ran + 1);

    await decide(earlier.id, "deny");
    const denied = await events.event<Event>("approval-decided", (e) => e.approval.id === earlier.id);
    expect(denied.approval).toMatchObject({ status: "denied", decidedBy: "token:admin" });
    expect(JSON.stringify(events.seen)).not.toContain("hunter2hunter2");
    await events.cancel();
  });

  it("shows a viewer what GET /api/approvals shows it, and nothing else", async () => {
    const events = await stream("viewer");
    const snapshot = (await events.event("pending")) as unknown as { approvals: ApprovalView[] };
    const listed = (await json(await call("/api/approvals?status=pending", "viewer"))).approvals;
    expect(snapshot.approvals).toEqual(listed);

    const asked = await ask("db");
    const created = await events.event<Event>("approval-created", (e) => e.approval.id === asked.id);
    await decide(asked.id, "deny");
    const decided = await events.event<Event>("approval-decided", (e) => e.approval.id === asked.id);
    const shown = await json(await call(`/api/approvals/${asked.id}`, "viewer"));
    expect(decided.approval).toEqual(shown.approval);
    expect(created.approval).toEqual({
      ...shown.approval,
      status: "pending",
      decidedBy: null,
      decidedAt: null,
    });
    // The viewer cannot act on what it sees.
    const refused = await call(`/api/approvals/${asked.id}`, "viewer", {
      method: "POST",
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(refused.status).toBe(403);
    await events.cancel();
  });

  it("stops listening on the bus when the client disconnects", async () => {
    await vi.waitFor(() => expect(bus.listening()).toBe(0), { timeout: 10_000 });
    const controllers = [new AbortController(), new AbortController()];
    const streams = await Promise.all(controllers.map((c) => stream("admin", c.signal)));
    await Promise.all(streams.map((s) => s.event("pending")));
    expect(bus.listening()).toBe(2);
    controllers[0]!.abort();
    await vi.waitFor(() => expect(bus.listening()).toBe(1), { timeout: 10_000 });
    // The other stream still hears new approvals.
    const asked = await ask("after-disconnect");
    await streams[1]!.event<Event>("approval-created", (e) => e.approval.id === asked.id);
    controllers[1]!.abort();
    await vi.waitFor(() => expect(bus.listening()).toBe(0), { timeout: 10_000 });
  });
});

/** Keep-alive comments and expiries, with a short interval and a short approval lifetime. */
describe("the approvals event stream while nothing happens", { timeout: 60_000 }, () => {
  const { tools } = createTestTools();
  let jarvis: Jarvis;
  let app: Hono<AppEnv>;
  let token: string;

  beforeAll(async () => {
    // 0.02 minutes: an approval expires 1.2 s after it is asked for
    jarvis = await createTestJarvis({ tools, config: testConfig({ approvals: { ttlMinutes: 0.02 } }) });
    token = (await jarvis.tokens.create({ name: "operator", role: "operator" })).token;
    app = new Hono<AppEnv>()
      .use("/api/*", authenticate(jarvis))
      .route("/api/approvals", approvalRoutes(jarvis, { keepAliveMs: 50, retryMs: 1234 }));
  });
  afterAll(() => jarvis?.close());

  it("sends the retry delay, keep-alive comments, and an expiry nobody decided", async () => {
    const controller = new AbortController();
    const response = await app.request("/api/approvals/stream", {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const body = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await body.read();
    expect(first.value).toContain("retry: 1234\n\n");
    await body.cancel();

    const again = await app.request("/api/approvals/stream", {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const events = readSse(again);
    await events.event("pending");
    expect(await events.next((f) => "comment" in f)).toEqual({ comment: "keep-alive" });

    const asked = await jarvis.runTool(
      { tool: "test_restart_thing", args: { thing: "left-alone" } },
      { source: "api", principal: operatorPrincipal },
    );
    expect(asked.status).toBe("approval_required");
    const id = asked.status === "approval_required" ? asked.approval.id : "";
    await events.event<Event>("approval-created", (e) => e.approval.id === id);
    const expired = await events.event<Event>("approval-expired", (e) => e.approval.id === id);
    expect(expired.approval.status).toBe("expired");
    expect((await jarvis.approvals.list({ status: "expired" })).map((r) => r.id)).toContain(id);
    controller.abort();
  });
});

/**
 * Decisions made without the approvals API reach the stream too: in a chat (the agent decides
 * through the approvals store) and by a new message that supersedes a pending one.
 */
describe("the approvals event stream and decisions made in a chat", { timeout: 120_000 }, () => {
  let sim: OpenAISim;
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    sim = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`, JARVIS_MODEL_MAX_RETRIES: "0" },
      ),
    });
    app = createApp(jarvis);
    token = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
  });

  it("streams a denial given in the chat and one superseded by a new message", async () => {
    const controller = new AbortController();
    const response = await app.request("/api/approvals/stream", {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const events = readSse(response);
    await events.event("pending");
    const chat = createChatClient(
      ((input: string | URL | Request, init?: RequestInit) =>
        app.request(String(input).replace("http://jarvis.test", ""), init)) as typeof fetch,
      token,
    );

    sim.script({ toolCalls: [{ name: "memory_forget", arguments: { id: "mem_999998" } }] });
    const first = approvalIn(await chat.say("stream-chat-1", "forget mem_999998"));
    await events.event<Event>("approval-created", (e) => e.approval.id === first!.id);
    sim.script({ text: "Left it alone." });
    await chat.decide("stream-chat-1", first!.id, "deny", "keep it");
    const denied = await events.event<Event>("approval-decided", (e) => e.approval.id === first!.id);
    expect(denied.approval).toMatchObject({ status: "denied", decisionReason: "keep it" });

    sim.script({ toolCalls: [{ name: "memory_forget", arguments: { id: "mem_999997" } }] });
    const second = approvalIn(await chat.say("stream-chat-1", "forget mem_999997"));
    await events.event<Event>("approval-created", (e) => e.approval.id === second!.id);
    sim.script({ text: "Something else, then." });
    await chat.say("stream-chat-1", "what is the weather like today?");
    const superseded = await events.event<Event>("approval-decided", (e) => e.approval.id === second!.id);
    expect(superseded.approval).toMatchObject({
      status: "denied",
      decisionReason: "superseded by a new message",
    });
    controller.abort();
  });
});
