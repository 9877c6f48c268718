import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

const cli = join(import.meta.dirname, "..", "src", "cli", "main.ts");

/** A Jarvis process killed in the middle of a remediation: the next one finishes it, without a second restart. */
describe("remediation across a crash", () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-inc-crash-${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-inc-crash-"));
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let base: string;

  async function startServer(): Promise<void> {
    const child = spawn(process.execPath, [cli, "serve"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr!.on("data", (chunk) => {
      log += chunk;
    });
    await eventually("the server to listen", async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
      return /listening on/.test(log);
    });
    server = child;
  }
  const headers = () => ({
    authorization: `Bearer ${readFileSync(join(dataDir, "admin-token"), "utf8").trim()}`,
    "content-type": "application/json",
  });
  const get = async (path: string) => json(await fetch(`${base}${path}`, { headers: headers() }));

  beforeAll(async () => {
    // A slow healthcheck (every 3 s) keeps the incident in "verifying" long enough to kill Jarvis there.
    await startUnhealthyContainer(docker, { name, runId: inject("testRunId"), intervalMs: 3000 });
    const config = join(dataDir, "jarvis.yaml");
    writeFileSync(
      config,
      JSON.stringify({
        policy: {
          rules: [{ tool: "docker_restart_container", source: "alert", target: name, action: "allow" }],
        },
      }),
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      JARVIS_CONFIG: config,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      PORT: String(port),
      JARVIS_MONITOR_DOCKER: "false",
      JARVIS_MONITOR_DISK: "false",
    };
  });
  afterAll(async () => {
    server?.kill("SIGKILL");
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("resumes verification after a SIGKILL and resolves with exactly one restart", async () => {
    await startServer();
    await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
    const posted = await fetch(`${base}/api/alerts/webhook`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({
        title: "ContainerUnhealthy",
        labels: { alertname: "ContainerUnhealthy", container: name },
      }),
    });
    expect(posted.status).toBe(200);
    const { incident: id } = await json(posted);
    await eventually(
      "verifying",
      async () => (await get(`/api/incidents/${id}`)).incident.status === "verifying",
    );
    server!.kill("SIGKILL");
    await new Promise((r) => server!.once("exit", r));
    const startedAfterRestart = (await docker.getContainer(name).inspect()).State.StartedAt;

    await startServer();
    const done = await eventually("resolved after the restart", async () => {
      const { incident } = await get(`/api/incidents/${id}`);
      return incident.status === "resolved" && incident;
    });
    expect(done.attempts).toBe(1);
    expect(done.timeline.some((e: { kind: string; resumed?: string }) => e.resumed === "verifying")).toBe(
      true,
    );
    expect(await healthOf(docker, name)).toBe("healthy");
    expect((await docker.getContainer(name).inspect()).State.StartedAt).toBe(startedAfterRestart);
    const { entries } = await get("/api/audit?tool=docker_restart_container");
    expect(entries.filter((e: { target: string }) => e.target === `local/${name}`)).toHaveLength(1);
  });
});
