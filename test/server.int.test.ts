import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { json } from "./helpers/http.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { createTestTools } from "./helpers/test-tools.ts";

describe("HTTP API", () => {
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<"admin" | "operator" | "viewer", string> = { admin: "", operator: "", viewer: "" };
  const { tools, runs } = createTestTools();

  beforeAll(async () => {
    jarvis = await createTestJarvis({ config: testConfig(), tools });
    app = createApp(jarvis);
    for (const role of ["admin", "operator", "viewer"] as const) {
      tokens[role] = (await jarvis.tokens.create({ name: `${role}-test`, role })).token;
    }
  });
  afterAll(() => jarvis?.close());

  const call = (method: string, path: string, role?: keyof typeof tokens, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });

  it("answers 401 on every API route but /healthz and sign-in without a valid token", async () => {
    // sign-in takes a token in its body; the console's static files are public
    const routes = app.routes.filter(
      (r) =>
        r.method !== "ALL" &&
        !(r.method === "POST" && r.path === "/api/session") &&
        (r.path.startsWith("/api") || r.path === "/healthz"),
    );
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) {
      const path = route.path.replace(/:[a-z]+/gi, "00000000-0000-0000-0000-000000000000");
      for (const auth of [undefined, "Bearer jv_not-a-real-token", "Basic YWRtaW46YWRtaW4="]) {
        const response = await app.request(path, {
          method: route.method,
          headers: auth ? { authorization: auth } : {},
        });
        if (route.path === "/healthz") expect(response.status, `${route.method} ${route.path}`).toBe(200);
        else expect(response.status, `${route.method} ${route.path} with ${auth ?? "no auth"}`).toBe(401);
      }
    }
    expect((await app.request("/api/anything-new")).status).toBe(401);
  });

  it("reports health of the database and each Docker host without a token", async () => {
    const response = await app.request("/healthz");
    const body = await json(response);
    expect(body).toMatchObject({
      status: "ok",
      database: { ok: true, kind: "pglite" },
      docker: [{ name: "local", ok: true }],
    });
  });

  it("lists tools with their risk and JSON Schema", async () => {
    const body = await json(await call("GET", "/api/tools", "viewer"));
    const echo = body.tools.find((t: { name: string }) => t.name === "test_read_echo");
    expect(echo).toMatchObject({ risk: "read", inputSchema: { type: "object", required: ["text"] } });
    expect(body.tools.find((t: { name: string }) => t.name === "test_wipe_thing").risk).toBe("varies");
  });

  it("calls a read tool and returns its result", async () => {
    const response = await call("POST", "/api/tools/test_read_echo/call", "viewer", { text: "ok" });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ result: { echoed: "ok" }, truncated: false });
  });

  it("maps errors to 4xx with a JSON body", async () => {
    const bad = await call("POST", "/api/tools/test_read_echo/call", "operator", { text: 1 });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({
      error: { code: "invalid_input", message: expect.stringMatching(/text/) },
    });
    const malformed = await call("POST", "/api/tools/test_read_echo/call", "operator", "{nope");
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.message).toMatch(/not valid JSON/);
    expect((await call("POST", "/api/tools/nope_tool/call", "operator", {})).status).toBe(404);
    expect((await call("POST", "/api/tools/test_restart_thing/call", "viewer", { thing: "x" })).status).toBe(
      403,
    );
  });

  it("pauses a write call for approval; approving executes it once; deciding again is refused", async () => {
    const asked = await call("POST", "/api/tools/test_restart_thing/call", "operator", { thing: "api-web" });
    expect(asked.status).toBe(202);
    const { approval } = await json(asked);
    expect(approval).toMatchObject({
      tool: "test_restart_thing",
      target: "lab/api-web",
      args: { thing: "api-web" },
    });
    expect(approval.expiresAt).toEqual(expect.any(String));

    const listed = await json(await call("GET", "/api/approvals?status=pending", "viewer"));
    expect(listed.approvals.map((a: { id: string }) => a.id)).toContain(approval.id);

    const byViewer = await call("POST", `/api/approvals/${approval.id}`, "viewer", { decision: "approve" });
    expect(byViewer.status).toBe(403);
    expect(runs.filter((r) => r.tool === "test_restart_thing")).toHaveLength(0);

    const approved = await call("POST", `/api/approvals/${approval.id}`, "admin", { decision: "approve" });
    expect(approved.status).toBe(200);
    expect(await json(approved)).toMatchObject({
      approval: { status: "approved" },
      result: { restarted: "api-web" },
    });
    expect(runs.filter((r) => r.tool === "test_restart_thing")).toHaveLength(1);

    const twice = await call("POST", `/api/approvals/${approval.id}`, "admin", { decision: "approve" });
    expect(twice.status).toBe(409);
    const replay = await call(
      "POST",
      `/api/tools/test_restart_thing/call?approval=${approval.id}`,
      "operator",
      { thing: "api-web" },
    );
    expect(replay.status).toBe(409);
    expect(runs.filter((r) => r.tool === "test_restart_thing")).toHaveLength(1);
  });

  it("refuses to execute an approval with other arguments", async () => {
    const { approval } = await json(
      await call("POST", "/api/tools/test_restart_thing/call", "operator", { thing: "api-db" }),
    );
    await jarvis.approvals.decide(approval.id, "approved", "test:admin");
    const other = await call(
      "POST",
      `/api/tools/test_restart_thing/call?approval=${approval.id}`,
      "operator",
      { thing: "api-other" },
    );
    expect(other.status).toBe(409);
    expect((await json(other)).error.message).toMatch(/different arguments/);
    const ok = await call("POST", `/api/tools/test_restart_thing/call?approval=${approval.id}`, "operator", {
      thing: "api-db",
    });
    expect(ok.status).toBe(200);
  });

  it("validates decisions", async () => {
    const { approval } = await json(
      await call("POST", "/api/tools/test_restart_thing/call", "operator", { thing: "api-v" }),
    );
    expect((await call("POST", `/api/approvals/${approval.id}`, "admin", { decision: "maybe" })).status).toBe(
      400,
    );
    expect(
      (
        await call("POST", "/api/approvals/00000000-0000-0000-0000-000000000000", "admin", {
          decision: "approve",
        })
      ).status,
    ).toBe(404);
    const denied = await call("POST", `/api/approvals/${approval.id}`, "operator", {
      decision: "deny",
      reason: "no",
    });
    expect(await json(denied)).toMatchObject({ approval: { status: "denied", decisionReason: "no" } });
  });

  it("shows the audit log to operators, not viewers", async () => {
    expect((await call("GET", "/api/audit", "viewer")).status).toBe(403);
    const body = await json(await call("GET", "/api/audit?tool=test_restart_thing&limit=50", "operator"));
    expect(body.entries.length).toBeGreaterThan(0);
    expect(body.entries.every((e: { tool: string }) => e.tool === "test_restart_thing")).toBe(true);
    expect((await call("GET", "/api/audit?limit=abc", "operator")).status).toBe(400);
  });

  it("lets only admins create tokens, and a new token works", async () => {
    expect((await call("POST", "/api/tokens", "operator", { name: "x", role: "viewer" })).status).toBe(403);
    const created = await call("POST", "/api/tokens", "admin", { name: "ci", role: "viewer" });
    expect(created.status).toBe(201);
    const { token } = await json(created);
    const whoami = await app.request("/api/whoami", { headers: { authorization: `Bearer ${token}` } });
    expect(await json(whoami)).toMatchObject({ name: "ci", role: "viewer" });
  });
});
