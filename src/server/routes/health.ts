import { Hono } from "hono";
import { migrationsApplied } from "../../db/migrations-applied.ts";
import { monitorLeaders } from "../../incidents/monitors/index.ts";
import type { Jarvis } from "../../jarvis.ts";
import { runProbes } from "../probes.ts";

/**
 * GET /healthz (no auth, liveness): the database, each Docker host, Plex and Sunshine when
 * configured, each mounted MCP server and Home Assistant. 200 when the database answers
 * (a Docker host being down makes it "degraded", not dead), 503 otherwise. Says nothing secret.
 * `monitors` names the process (`host:pid`) that runs each event-stream monitor, whichever asks.
 */
export function healthRoutes(jarvis: Jarvis) {
  return new Hono().get("/", async (c) => {
    const [{ status, database, docker, media, mcp, homeassistant }, monitors] = await Promise.all([
      runProbes(jarvis),
      monitorLeaders(jarvis),
    ]);
    const db = {
      ok: database.ok,
      kind: jarvis.database.kind,
      ...(database.error ? { error: database.error } : {}),
    };
    return c.json(
      {
        status,
        database: db,
        docker,
        media,
        mcp,
        ...(homeassistant ? { homeassistant } : {}),
        ...(Object.keys(monitors).length ? { monitors } : {}),
      },
      database.ok ? 200 : 503,
    );
  });
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

/** A check of /readyz: ok, or why not. */
async function check(run: () => Promise<string | undefined>, ms: number) {
  try {
    const problem = await within(run(), ms);
    return problem ? { ok: false, error: problem } : { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * GET /readyz (no auth, readiness, for load balancers, Compose, systemd and Kubernetes): 200 when
 * this process can serve: the database answers, its schema has every migration this build ships,
 * and Redis answers when REDIS_URL is set; 503 with the failing checks otherwise. Docker hosts and
 * integrations are not part of it (see /healthz): a Docker host being down must not take the API
 * out of rotation.
 */
export function readyRoutes(jarvis: Jarvis, ms = 3000) {
  return new Hono().get("/", async (c) => {
    const [database, migrations, redis] = await Promise.all([
      check(async () => {
        await jarvis.database.ping();
        return undefined;
      }, ms),
      check(async () => {
        const state = await migrationsApplied(jarvis.database.db);
        return state.ok ? undefined : `${state.applied} of ${state.expected} migrations applied`;
      }, ms),
      jarvis.redis
        ? check(async () => {
            // Not a queued command: while Redis is down the connection holds commands until it is back.
            if (jarvis.redis!.status !== "ready") return `redis is ${jarvis.redis!.status}`;
            await jarvis.redis!.ping();
            return undefined;
          }, ms)
        : undefined,
    ]);
    const checks = { database, migrations, ...(redis ? { redis } : {}) };
    const ready = Object.values(checks).every((x) => x.ok);
    return c.json(
      { status: ready ? "ready" : "not-ready", role: jarvis.config.role, checks },
      ready ? 200 : 503,
    );
  });
}
