import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { JobView } from "../src/jobs/types.ts";
import { fileTree, putFile } from "./helpers/files.ts";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { type PgliteServer, startPgliteServer } from "./helpers/pglite-server.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { spawnServer } from "./helpers/serve-child.ts";
import { type PlexSim, startPlexSim } from "./sim/plex/server.ts";

const TOKEN = "plex-import-workers-token";

/**
 * Real processes on a real Redis and PostgreSQL: an api process (`--role api`) takes the import
 * call through the gate and enqueues it; worker processes (`--role worker`) run it. One worker is
 * SIGKILLed in the middle of the import, and the next finishes it without redoing or losing files.
 */
describe("plex.import across processes (BullMQ on Redis)", { timeout: 400_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), "jarvis-import-workers-"));
  const dataDir = join(base, "data");
  const library = join(base, "library");
  const downloads = join(base, "downloads");
  let redis: RedisServer;
  let pg: PgliteServer;
  let sim: PlexSim;
  let env: NodeJS.ProcessEnv;
  let apiUrl: string;
  const children: ChildProcess[] = [];

  const headers = () => ({
    authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
    "content-type": "application/json",
  });
  const job = async (id: string): Promise<JobView> =>
    (await json(await fetch(`${apiUrl}/api/jobs/${id}`, { headers: headers() }))).job;
  /** Polls the job through the api process until `ok` holds (the test's timeout is the limit). */
  const until = async (id: string, ok: (view: JobView) => boolean) => {
    for (;;) {
      const view = await job(id);
      if (ok(view)) return view;
      if (view.state === "failed") throw new Error(`job ${id} failed: ${view.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const startWorker = async () => {
    const { child } = await spawnServer({ ...env, PORT: String(await freePort()) }, 150_000, [
      "--role",
      "worker",
    ]);
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(join(library, "movies"), { recursive: true });
    mkdirSync(join(library, "tv"), { recursive: true });
    redis = await startRedis();
    pg = await startPgliteServer();
    sim = await startPlexSim({ token: TOKEN });
    const config = join(dataDir, "jarvis.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        policy: { rules: [{ tool: "plex_import_media", action: "allow" }] },
        storage: { sampleMinutes: 0 },
      }),
    );
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      JARVIS_CONFIG: config,
      DATABASE_URL: pg.url.reveal(),
      REDIS_URL: redis.url,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      JARVIS_JOBS_LOCK_MS: "1000",
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
      PLEX_URL: sim.url,
      PLEX_TOKEN: TOKEN,
      PLEX_PATH_MAP: `${library}=/media`,
      JARVIS_MOVIES_DIR: join(library, "movies"),
      JARVIS_TV_DIR: join(library, "tv"),
    };
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    // The api answers at once with the job: no worker is running yet.
    const api = await spawnServer(
      { ...env, PORT: String(port), JARVIS_ROLE: "api", JARVIS_IMPORT_WAIT_SECONDS: "0" },
      150_000,
    );
    children.push(api.child);
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await sim?.close();
    await pg?.stop();
    await redis?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it("the api enqueues; a worker runs it; killed mid-file, the next worker finishes without redoing or losing files", async () => {
    putFile(join(downloads, "Amelie.2001.1080p.mkv"), "amelie");
    putFile(join(downloads, "Brazil.1985.1080p.mkv"), "brazil");
    putFile(join(downloads, "Columbo.S01E02.720p.mkv"), "columbo");
    const res = await fetch(`${apiUrl}/api/tools/plex_import_media/call`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ source: downloads, mode: "copy" }),
    });
    expect(res.status).toBe(200);
    const { result } = await json(res);
    expect(result).toMatchObject({ state: "waiting", message: expect.stringContaining("in the background") });
    const id = result.job as string;
    // Nothing runs it on the api process.
    expect(await job(id)).toMatchObject({ name: "plex.import", state: "waiting", attempts: 0 });

    // Brazil becomes a named pipe nobody writes: the first worker blocks in the middle of copying it.
    const brazil = join(downloads, "Brazil.1985.1080p.mkv");
    rmSync(brazil);
    execFileSync("mkfifo", [brazil]);
    const first = await startWorker();
    const stuck = await until(
      id,
      (v) => v.state === "active" && (v.progress as { current?: string }).current === "Brazil (1985).mkv",
    );
    expect(stuck.worker).toMatch(new RegExp(`:${first.pid}$`));
    expect(stuck.progress).toMatchObject({ stage: "importing", filesDone: 1, totalFiles: 3 });
    expect(readFileSync(join(library, "movies", "Amelie (2001)", "Amelie (2001).mkv"), "utf8")).toBe(
      "amelie",
    );
    first.kill("SIGKILL");
    await new Promise((r) => (first.exitCode === null ? first.once("exit", r) : r(undefined)));
    rmSync(brazil);
    writeFileSync(brazil, "brazil");

    const second = await startWorker();
    const done = await until(id, (v) => v.state === "completed");
    expect(done.worker).toMatch(new RegExp(`:${second.pid}$`));
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    expect(done.progress).toEqual({ stage: "done", filesDone: 3, totalFiles: 3 });
    const final = done.result as {
      imported: Array<{ to: string; placedEarlier?: true }>;
      skipped: unknown[];
    };
    expect(final.skipped).toEqual([]);
    expect(final.imported.map((i) => [i.to.slice(library.length + 1), i.placedEarlier ?? false])).toEqual([
      ["movies/Amelie (2001)/Amelie (2001).mkv", true],
      ["movies/Brazil (1985)/Brazil (1985).mkv", false],
      ["tv/Columbo/Season 01/Columbo - s01e02.mkv", false],
    ]);
    expect(fileTree(library)).toEqual([
      "movies/Amelie (2001)/Amelie (2001).mkv",
      "movies/Brazil (1985)/Brazil (1985).mkv",
      "tv/Columbo/Season 01/Columbo - s01e02.mkv",
    ]);
    expect(readFileSync(join(library, "movies", "Brazil (1985)", "Brazil (1985).mkv"), "utf8")).toBe(
      "brazil",
    );
    expect(sim.refreshes.map((r) => r.path).sort()).toEqual([
      "/media/movies/Amelie (2001)",
      "/media/movies/Brazil (1985)",
      "/media/tv/Columbo/Season 01",
    ]);
  });
});
