import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { JobView } from "../src/jobs/types.ts";
import { requireBinary } from "./helpers/binaries.ts";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { type PgliteServer, startPgliteServer } from "./helpers/pglite-server.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { spawnServer } from "./helpers/serve-child.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

/**
 * Several real `jarvis serve` processes on one Redis and one PostgreSQL (PGlite over the wire):
 * an api process that only enqueues, and worker processes that run the jobs.
 */
describe("jobs across processes", { timeout: 300_000 }, () => {
  requireBinary("restic", "restic");
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const container = `jt-jobs-${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-jobs-"));
  let redis: RedisServer;
  let pg: PgliteServer;
  let env: NodeJS.ProcessEnv;
  let apiUrl: string;
  const workers = new Map<string, { child: ChildProcess; url: string; log: () => string }>();
  let api: ChildProcess;

  const headers = () => ({
    authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
    "content-type": "application/json",
  });
  const get = async (path: string) => json(await fetch(`${apiUrl}${path}`, { headers: headers() }));
  const job = async (id: string): Promise<JobView> => (await get(`/api/jobs/${id}`)).job;
  const jobsNamed = async (name: string): Promise<JobView[]> =>
    (await get(`/api/jobs?name=${name}&limit=1000`)).jobs;

  async function startWorker(id: string): Promise<void> {
    const port = await freePort();
    const started = await spawnServer({ ...env, PORT: String(port) }, 150_000, ["--role", "worker"]);
    workers.set(id, { child: started.child, url: `http://127.0.0.1:${port}`, log: started.log });
  }
  const workerOf = (view: JobView) =>
    [...workers.entries()].find(([, w]) => view.worker?.endsWith(`:${w.child.pid}`))?.[0];

  beforeAll(async () => {
    redis = await startRedis();
    pg = await startPgliteServer();
    // A slow healthcheck keeps the incident in "verifying" for a while: long enough to kill its worker.
    await startUnhealthyContainer(docker, { name: container, runId: inject("testRunId"), intervalMs: 3000 });
    writeFileSync(join(dataDir, "settings.txt"), "backed up by exactly one worker\n");
    const config = join(dataDir, "jarvis.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        policy: {
          rules: [{ tool: "docker_restart_container", source: "alert", target: container, action: "allow" }],
        },
        storage: { sampleMinutes: 0 },
        backups: {
          jobs: [
            {
              name: "minutely",
              repository: join(dataDir, "repo"),
              paths: [join(dataDir, "settings.txt")],
              schedule: "* * * * *",
            },
          ],
        },
      }),
    );
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      JARVIS_CONFIG: config,
      DATABASE_URL: pg.url.reveal(),
      REDIS_URL: redis.url,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      // Short, so a killed worker's job moves on soon; long enough that a busy machine's pauses keep it.
      JARVIS_JOBS_LOCK_MS: "3000",
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
    };
    api = (await spawnServer({ ...env, PORT: String(port), JARVIS_ROLE: "api" }, 150_000)).child;
    const put = await fetch(`${apiUrl}/api/secrets/restic/minutely`, {
      method: "PUT",
      headers: headers(),
      body: JSON.stringify({ value: "one repository password" }),
    });
    expect(put.status).toBeLessThan(300);
    for (const id of ["a", "b", "c"]) await startWorker(id);
  });
  afterAll(async () => {
    api?.kill("SIGKILL");
    for (const { child } of workers.values()) child.kill("SIGKILL");
    await docker
      .getContainer(container)
      .remove({ force: true })
      .catch(() => {});
    await pg?.stop();
    await redis?.stop();
  });

  it("a worker serves only its health route; the api process lists jobs", async () => {
    const worker = workers.get("a")!;
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/api/jobs`, { headers: headers() })).status).toBe(404);
    const listed = await get("/api/jobs");
    expect(listed.kind).toBe("redis");
    expect((await fetch(`${apiUrl}/api/jobs/no-such-job`, { headers: headers() })).status).toBe(404);
  });

  it("a scheduled backup runs once per cron slot, though three workers fire the schedule", async () => {
    // Wait for a scheduled run and two more looks for due backups after it.
    const ran = await eventually(
      "a scheduled backup run",
      async () => (await jobsNamed("backup.run")).find((j) => j.state === "completed"),
      150_000,
    );
    await eventually(
      "two more checks for due backups",
      async () => {
        const checks = await jobsNamed("backups.schedule");
        const later = checks.filter((j) => j.state === "completed" && j.startedAt! > ran.finishedAt!);
        if (later.length >= 2) return true;
        // Why not yet, for the timeout's message.
        throw new Error(
          `run finished ${ran.finishedAt}; checks: ${checks
            .slice(0, 5)
            .map((j) => `${j.state} ${j.startedAt ?? j.createdAt}→${j.finishedAt ?? "?"} ${j.error ?? ""}`)
            .join(", ")}`,
        );
      },
      150_000,
    );
    const listed = await json(
      await fetch(`${apiUrl}/api/tools/backup_list/call`, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ job: "minutely" }),
      }),
    );
    const runs: Array<{ startedAt: string }> = listed.result.runs.filter(
      (r: { trigger: string }) => r.trigger === "schedule",
    );
    const runJobs = (await jobsNamed("backup.run")).filter((j) => j.attempts > 0);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    // At most one run per backup.run job (one per slot), and never two in one cron minute.
    expect(runs.length).toBeLessThanOrEqual(runJobs.length);
    expect(new Set(runJobs.map((j) => j.id)).size).toBe(runJobs.length);
    const minutes = new Set(runs.map((r) => r.startedAt.slice(0, 16)));
    expect(minutes.size).toBe(runs.length);
    // The checks were spread over the workers (the schedule is one, the workers are many).
    const checkers = new Set((await jobsNamed("backups.schedule")).map(workerOf).filter(Boolean));
    expect(checkers.size).toBeGreaterThanOrEqual(1);
  });

  it("an alert posted to the api becomes a job a worker runs; SIGKILL that worker and another finishes it", async () => {
    await eventually(
      `${container} unhealthy`,
      async () => (await healthOf(docker, container)) === "unhealthy",
    );
    const posted = await json(
      await fetch(`${apiUrl}/api/alerts/webhook`, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({
          title: "ContainerUnhealthy",
          labels: { alertname: "ContainerUnhealthy", container },
        }),
      }),
    );
    const incidentId: string = posted.incident;
    const jobId = `incident-${incidentId}`;
    // Verifying: the restart is done and the worker waits for the healthcheck; kill it there.
    await eventually("the incident verifying", async () => {
      const { incident } = await get(`/api/incidents/${incidentId}`);
      return incident.status === "verifying";
    });
    const running = await job(jobId);
    expect(running.state).toBe("active");
    const first = workerOf(running);
    expect(first).toBeDefined();
    workers.get(first!)!.child.kill("SIGKILL");

    const done = await eventually(
      "the job completed by another worker",
      async () => {
        const view = await job(jobId);
        return view.state === "completed" ? view : undefined;
      },
      120_000,
    );
    const second = workerOf(done);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const { incident } = await get(`/api/incidents/${incidentId}`);
    expect(incident.status).toBe("resolved");
    const { entries } = await get("/api/audit?tool=docker_restart_container");
    expect(entries.filter((e: { target: string }) => e.target === `local/${container}`)).toHaveLength(1);
  });
});
