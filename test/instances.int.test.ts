import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "./helpers/net.ts";
import { type PgliteServer, startPgliteServer } from "./helpers/pglite-server.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { type ServeChild, spawnServer } from "./helpers/serve-child.ts";
import { eventually } from "./helpers/unhealthy-container.ts";

interface Instance {
  id: string;
  role: string;
  pid: number;
}

/**
 * Several processes on one database: a process starting (or a worker's periodic check) marks
 * interrupted only the work of processes that are gone, never that of a live one.
 */
describe("work left running is marked interrupted only when its process is gone", {
  timeout: 300_000,
}, () => {
  let redis: RedisServer;
  let database: PgliteServer;
  let sql: pg.Client;
  const dirs: string[] = [];
  const children: ServeChild[] = [];

  const start = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "jarvis-instances-"));
    dirs.push(dataDir);
    const port = await freePort();
    const child = await spawnServer({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      JARVIS_DATA_DIR: dataDir,
      PORT: String(port),
      DATABASE_URL: database.url.reveal(),
      REDIS_URL: redis.url,
      JARVIS_SECRET_KEY: "a".repeat(64),
      // A process silent for 2 s is gone; workers look for such work every 2 s.
      JARVIS_INSTANCE_TIMEOUT_SECONDS: "2",
      JARVIS_JOBS_LOCK_MS: "2000",
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
      JARVIS_MONITOR_DOMAINS: "false",
    });
    children.push(child);
    return { url: `http://127.0.0.1:${port}`, child: child.child, dataDir };
  };
  const instances = async (url: string, token: string) => {
    const response = await fetch(`${url}/api/instances`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as { self: string; instances: Instance[] };
  };
  const auditOutcome = async (id: number) =>
    (await sql.query("SELECT outcome FROM audit WHERE id = $1", [id])).rows[0]?.outcome as string;
  const running = async (owner: string | null, tool: string) =>
    (
      await sql.query(
        `INSERT INTO audit (source, principal, tool, args, decision, outcome, owner)
         VALUES ('api', 'test', $1, '{}', 'allow', 'running', $2) RETURNING id`,
        [tool, owner],
      )
    ).rows[0].id as number;

  beforeAll(async () => {
    redis = await startRedis();
    database = await startPgliteServer();
  });
  afterAll(async () => {
    for (const { child } of children) child.kill("SIGKILL");
    await sql?.end().catch(() => {});
    await database?.stop().catch(() => {});
    await redis?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("a second process leaves the first's calls, runs and backups alone and marks the gone ones'", async () => {
    const a = await start();
    const token = readFileSync(join(a.dataDir, "admin-token"), "utf8").trim();
    const seenByA = await instances(a.url, token);
    expect(seenByA.instances.map((i) => i.id)).toEqual([seenByA.self]);
    expect(seenByA.instances[0]).toMatchObject({ role: "all", pid: a.child.pid });

    sql = new pg.Client({ connectionString: database.url.reveal() });
    await sql.connect();
    // In flight on A; left by a process that is gone; written before processes had owners.
    const onA = await running(seenByA.self, "test_on_a");
    const ofGone = await running("elsewhere:4242:0a0b0c", "test_of_gone");
    const unowned = await running(null, "test_unowned");
    await sql.query(
      `INSERT INTO runs (conversation_id, status, source, principal, model, owner)
       VALUES ('c-a', 'running', 'api', 'test', 'local', $1), ('c-gone', 'running', 'api', 'test', 'local', 'elsewhere:4242:0a0b0c')`,
      [seenByA.self],
    );
    await sql.query(
      `INSERT INTO backup_runs (job, trigger, status, owner)
       VALUES ('on-a', 'manual', 'running', $1), ('of-gone', 'manual', 'running', 'elsewhere:4242:0a0b0c')`,
      [seenByA.self],
    );

    const b = await start();
    expect(await auditOutcome(onA)).toBe("running");
    expect(await auditOutcome(ofGone)).toBe("interrupted");
    expect(await auditOutcome(unowned)).toBe("interrupted");
    const runs = await sql.query(
      "SELECT conversation_id, status, stop_reason FROM runs ORDER BY conversation_id",
    );
    expect(runs.rows).toEqual([
      { conversation_id: "c-a", status: "running", stop_reason: null },
      { conversation_id: "c-gone", status: "failed", stop_reason: "interrupted" },
    ]);
    const backups = await sql.query("SELECT job, status FROM backup_runs ORDER BY job");
    expect(backups.rows).toEqual([
      { job: "of-gone", status: "interrupted" },
      { job: "on-a", status: "running" },
    ]);
    const seenByB = await instances(b.url, token);
    expect(seenByB.instances.map((i) => i.id).sort()).toEqual([seenByA.self, seenByB.self].sort());

    // A dies without a word: B's periodic check marks what A left running, and A leaves the list.
    a.child.kill("SIGKILL");
    await eventually("A's call marked interrupted", async () => (await auditOutcome(onA)) === "interrupted");
    await eventually(
      "A's backup run marked interrupted",
      async () =>
        (await sql.query("SELECT status FROM backup_runs WHERE job = 'on-a'")).rows[0].status ===
        "interrupted",
    );
    const after = await sql.query("SELECT status, stop_reason FROM runs WHERE conversation_id = 'c-a'");
    expect(after.rows[0]).toEqual({ status: "failed", stop_reason: "interrupted" });
    expect((await instances(b.url, token)).instances.map((i) => i.id)).toEqual([seenByB.self]);
  });
});
