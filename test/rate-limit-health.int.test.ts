import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { createMemoryRateLimiter } from "../src/server/rate-limiter.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";

/** One process, no Redis: the in-process limiter and /readyz on embedded PGlite. */
describe("rate limits and readiness in one process", { timeout: 120_000 }, () => {
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let token: string;
  let other: string;

  beforeAll(async () => {
    jarvis = await createTestJarvis({
      config: testConfig({}, { JARVIS_RATE_LIMIT: "3", JARVIS_RATE_LIMIT_WINDOW_SECONDS: "600" }),
    });
    app = createApp(jarvis);
    token = (await jarvis.tokens.create({ name: "limited", role: "operator" })).token;
    other = (await jarvis.tokens.create({ name: "other", role: "viewer" })).token;
  });
  afterAll(async () => {
    await jarvis?.close();
  });

  const get = (path: string, bearer?: string) =>
    app.request(path, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  test("a token over its limit gets 429 with Retry-After and a JSON error; other tokens and health routes go on", async () => {
    for (let i = 0; i < 3; i++) expect((await get("/api/whoami", token)).status).toBe(200);
    const refused = await get("/api/whoami", token);
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get("retry-after"));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(600);
    const body = (await refused.json()) as { error: { code: string; message: string; details: unknown } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toContain("at most 3 per 600 s");
    expect(body.error.details).toMatchObject({ limit: 3, windowSeconds: 600 });
    // /mcp counts against the same token.
    const mcp = await app.request("/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        host: "127.0.0.1:8750",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(mcp.status).toBe(429);
    expect((await get("/api/whoami", other)).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await get("/healthz")).status).toBe(200);
      expect((await get("/readyz")).status).toBe(200);
    }
    // A bad token is a 401, not counted against anyone.
    expect((await get("/api/whoami", "jv_nope")).status).toBe(401);
  });

  test("the window slides: a request is allowed again once the oldest leaves the window", async () => {
    let now = 0;
    const limiter = createMemoryRateLimiter({ requests: 2, windowMs: 1000 }, () => now);
    expect((await limiter.hit("a")).allowed).toBe(true);
    now = 400;
    expect(await limiter.hit("a")).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    now = 900;
    expect(await limiter.hit("a")).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
    now = 1001;
    expect((await limiter.hit("a")).allowed).toBe(true);
    expect((await limiter.hit("b")).allowed).toBe(true);
  });

  test("/readyz says ready with the database and migrations checks, and no Redis check without REDIS_URL", async () => {
    const response = await get("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      role: "all",
      checks: { database: { ok: true }, migrations: { ok: true } },
    });
  });

  test("/readyz is 503 when the database lacks a migration this build ships (/healthz stays 200)", async () => {
    await jarvis.database.db.execute(
      sql`DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)`,
    );
    const response = await get("/readyz");
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: { migrations: { error: string } } };
    expect(body.status).toBe("not-ready");
    expect(body.checks.migrations.error).toMatch(/^\d+ of \d+ migrations applied$/);
    expect((await get("/healthz")).status).toBe(200);
  });
});
