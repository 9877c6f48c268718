import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requireBinary } from "./helpers/binaries.ts";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { resticPids } from "./helpers/pids.ts";
import { spawnServer } from "./helpers/serve-child.ts";
import { eventually } from "./helpers/unhealthy-container.ts";

interface JobView {
  job: string;
  lastRun: { status: string; error?: string } | null;
  running?: { stage: string; progress: { percent: number } | null };
}

/** A run whose restic is killed, and a Jarvis killed mid-run: both are recorded, neither blocks the next run. */
describe("interrupted backup runs, seen through GET /api/backups", { timeout: 300_000 }, () => {
  requireBinary("restic", "restic");
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-backup-crash-"));
  const source = join(dataDir, "source");
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let base: string;

  const headers = () => ({
    authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
    "content-type": "application/json",
  });
  const job = async (): Promise<JobView> => {
    const response = await fetch(`${base}/api/backups`, { headers: headers() });
    expect(response.status).toBe(200);
    return (await json(response)).jobs.find((j: JobView) => j.job === "big");
  };
  const startRun = () =>
    fetch(`${base}/api/tools/backup_run/call`, { method: "POST", headers: headers(), body: '{"job":"big"}' });
  const inFlight = () =>
    eventually("progress while running", async () => (await job()).running?.progress ?? undefined);

  beforeAll(async () => {
    mkdirSync(source);
    // Big enough that restic is still reading when the test has seen its progress and kills it.
    for (let i = 0; i < 4; i++) writeFileSync(join(source, `part-${i}.bin`), randomBytes(48 * 1024 * 1024));
    const config = join(dataDir, "jarvis.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        policy: { rules: [{ tool: "backup_run", action: "allow" }] },
        backups: { jobs: [{ name: "big", repository: join(dataDir, "repo"), paths: [source] }] },
      }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      JARVIS_CONFIG: config,
      JARVIS_SECRET_KEY: randomBytes(32).toString("hex"),
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      PORT: String(port),
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
      JARVIS_STORAGE_SAMPLE_MINUTES: "0",
    };
    server = (await spawnServer(env)).child;
    const put = await fetch(`${base}/api/secrets/restic/big`, {
      method: "PUT",
      headers: headers(),
      body: JSON.stringify({ value: "big repository password" }),
    });
    expect(put.status).toBeLessThan(300);
  });
  afterAll(async () => {
    server?.kill("SIGKILL");
    for (const pid of resticPids(source)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("needs a token", async () => {
    expect((await fetch(`${base}/api/backups`)).status).toBe(401);
  });

  it("restic killed mid-run: the run is failed, and the next run works", async () => {
    const call = startRun();
    call.catch(() => {}); // awaited below; a failed assertion before that must not leave it unhandled
    const progress = await inFlight();
    expect(progress!.percent).toBeLessThan(100);
    const pids = resticPids(source);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, "SIGKILL");
    const answered = await call;
    expect(answered.status).toBeGreaterThanOrEqual(400);
    expect((await json(answered)).error.message).toMatch(/restic/);
    const after = await job();
    expect(after.lastRun).toMatchObject({ status: "failed" });
    expect(after.running).toBeUndefined();

    const again = await startRun();
    expect(again.status).toBe(200);
    expect((await json(again)).result).toMatchObject({ status: "ok", totalFiles: 4 });
    expect((await job()).lastRun).toMatchObject({ status: "ok" });
  });

  it("Jarvis killed mid-run: the next start marks the run interrupted, and the job runs again", async () => {
    // New content, so restic has to read it all again rather than skip what the last snapshot holds.
    for (let i = 0; i < 4; i++) writeFileSync(join(source, `part-${i}.bin`), randomBytes(48 * 1024 * 1024));
    const call = startRun().catch(() => undefined); // the connection dies with the server
    await inFlight();
    server!.kill("SIGKILL");
    await new Promise((r) => server!.once("exit", r));
    for (const pid of resticPids(source)) process.kill(pid, "SIGKILL");
    await call;

    server = (await spawnServer(env)).child;
    const view = await job();
    expect(view.lastRun).toMatchObject({ status: "interrupted", error: "Jarvis stopped during the run" });
    expect(view.running).toBeUndefined();
    const again = await startRun();
    expect(again.status).toBe(200);
    expect((await json(again)).result).toMatchObject({ status: "ok" });
  });
});
