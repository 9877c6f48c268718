import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../src/db/schema.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { json } from "./helpers/http.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";

const origin = "http://jarvis.test";

describe("chat console sessions: cookie, CSRF, sign-out, expiry", () => {
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let token: string;

  const signIn = async (body: unknown = { token }) =>
    app.request(`${origin}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify(body),
    });
  const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0]!;

  beforeAll(async () => {
    jarvis = await createTestJarvis();
    app = createApp(jarvis);
    token = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
  });
  afterAll(async () => {
    await jarvis?.close();
  });

  it("exchanges a token for an HttpOnly, SameSite=Strict cookie and a CSRF token", async () => {
    const response = await signIn();
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^jarvis_session=js_[\w-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).not.toContain("Secure");
    const body = await json(response);
    expect(body).toMatchObject({ user: { name: "admin", role: "admin" }, csrf: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain(cookieOf(response).split("=")[1]);

    const me = await app.request(`${origin}/api/session`, { headers: { cookie: cookieOf(response) } });
    expect(await json(me)).toMatchObject({ user: { name: "admin" }, csrf: body.csrf });
    const whoami = await app.request(`${origin}/api/whoami`, { headers: { cookie: cookieOf(response) } });
    expect(await json(whoami)).toMatchObject({ name: "admin", role: "admin" });
  });

  it("marks the cookie Secure over https", async () => {
    const response = await app.request("https://jarvis.test/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    expect(response.headers.get("set-cookie")).toContain("Secure");
  });

  it("refuses a wrong token and changes nothing", async () => {
    const before = await jarvis.database.db.select().from(sessions);
    const response = await signIn({ token: "jv_wrong" });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await jarvis.database.db.select().from(sessions)).toHaveLength(before.length);
    expect((await signIn({ nope: 1 })).status).toBe(400);
  });

  it("stores only a hash of the session secret", async () => {
    const response = await signIn();
    const secret = cookieOf(response).split("=")[1]!;
    const rows = await jarvis.database.db.select().from(sessions);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it("needs the CSRF header and this origin for state-changing requests", async () => {
    const response = await signIn();
    const cookie = cookieOf(response);
    const { csrf } = await json(response);
    const post = (headers: Record<string, string>) =>
      app.request(`${origin}/api/approvals/00000000-0000-0000-0000-000000000000`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ decision: "approve" }),
      });
    const missing = await post({ origin });
    expect(missing.status).toBe(403);
    expect((await json(missing)).error.message).toContain("x-csrf-token");
    expect((await post({ origin, "x-csrf-token": "wrong" })).status).toBe(403);
    expect((await post({ origin: "http://evil.test", "x-csrf-token": csrf })).status).toBe(403);
    // with both, it gets through authentication to the route (which finds no such approval)
    expect((await post({ origin, "x-csrf-token": csrf })).status).toBe(404);
    // reads need no CSRF token
    const list = await app.request(`${origin}/api/approvals`, { headers: { cookie } });
    expect(list.status).toBe(200);
  });

  it("signs out: the cookie stops working", async () => {
    const response = await signIn();
    const cookie = cookieOf(response);
    const { csrf } = await json(response);
    expect(
      (await app.request(`${origin}/api/session`, { method: "DELETE", headers: { cookie } })).status,
    ).toBe(403);
    const out = await app.request(`${origin}/api/session`, {
      method: "DELETE",
      headers: { cookie, "x-csrf-token": csrf, origin },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/jarvis_session=;.*Max-Age=0/);
    const after = await app.request(`${origin}/api/whoami`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await app.request(`${origin}/api/session`, { headers: { cookie } })).status).toBe(401);
  });

  it("an expired session or a revoked token is no longer signed in", async () => {
    const response = await signIn();
    const cookie = cookieOf(response);
    const [row] = await jarvis.database.db.select().from(sessions).orderBy(sessions.createdAt).limit(1);
    await jarvis.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.expiresAt, sessions.expiresAt));
    expect(row).toBeDefined();
    const expired = await app.request(`${origin}/api/whoami`, { headers: { cookie } });
    expect(expired.status).toBe(401);
    expect((await json(expired)).error.message).toContain("sign in again");

    const other = await jarvis.tokens.create({ name: "temp", role: "viewer" });
    const fresh = cookieOf(await signIn({ token: other.token }));
    expect((await app.request(`${origin}/api/whoami`, { headers: { cookie: fresh } })).status).toBe(200);
    await jarvis.tokens.revoke(other.id);
    expect((await app.request(`${origin}/api/whoami`, { headers: { cookie: fresh } })).status).toBe(401);
  });

  it("a bearer token still works without any cookie or CSRF header", async () => {
    const response = await app.request(`${origin}/api/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({
      model: { id: "local", label: "local intent engine" },
      docker: [{ name: "local", ok: true }],
      integrations: [{ ok: true }],
      pendingApprovals: 0,
    });
  });
});
