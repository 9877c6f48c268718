import Docker from "dockerode";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { createApp } from "../../src/server/app.ts";
import { dockerOptions } from "../../src/tools/docker/client.ts";
import { ensureTestImage, removeTestContainers } from "../helpers/docker-engine.ts";
import { eventually, healthOf, startUnhealthyContainer } from "../helpers/unhealthy-container.ts";
import { percentile, round } from "./stats.ts";

const rounds = 5;

/**
 * The closed loop end to end on the real engine: an unhealthy container, an Alertmanager webhook,
 * and the time until the incident is resolved (evidence, policy, restart, verification), against
 * the container's own time to come back healthy after a raw dockerode restart, in the same run.
 * The difference is what Jarvis adds; most of it is the runbook's verification poll interval.
 */
export async function benchIncidentResolution() {
  const config = loadConfig();
  const host = config.docker.hosts[0]!;
  const docker = new Docker(dockerOptions(host, config.docker.sshAgent));
  await docker.ping().catch((error: Error) => {
    throw new Error(`The incident-resolution bench needs a Docker engine at ${host.url}: ${error.message}`);
  });
  await ensureTestImage(docker);
  const runId = String(process.pid);
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(
    {
      ...config,
      dataDir: "memory://",
      policy: {
        rules: [{ tool: "docker_restart_container", source: "alert", target: "jb-e2e-*", action: "allow" }],
      },
      incidents: { ...config.incidents, maxActionsPerHour: 100 },
    },
    { log: silentLogger, database },
  );
  const app = createApp(jarvis);
  const { token } = await jarvis.tokens.create({ name: "bench", role: "viewer", scopes: ["alerts"] });
  const unhealthy = async (name: string) => {
    await startUnhealthyContainer(docker, { name, runId });
    await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
  };
  const remove = (name: string) =>
    docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});

  const raw: number[] = [];
  const loop: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const baseline = `jb-raw-${runId}-${i}`;
      await unhealthy(baseline);
      const restarted = performance.now();
      await docker.getContainer(baseline).restart({ t: 10 });
      await eventually("healthy", async () => (await healthOf(docker, baseline)) === "healthy");
      raw.push(performance.now() - restarted);
      await remove(baseline);

      const name = `jb-e2e-${runId}-${i}`;
      await unhealthy(name);
      const arrived = performance.now();
      const response = await app.request("/api/alerts/alertmanager", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          version: "4",
          status: "firing",
          alerts: [
            {
              status: "firing",
              labels: { alertname: "ContainerUnhealthy", container: name, host: host.name },
            },
          ],
        }),
      });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      const { alerts } = (await response.json()) as { alerts: { incident: string }[] };
      const id = alerts[0]!.incident;
      const done = await eventually(
        "the incident closed",
        async () => {
          const row = await jarvis.incidents.store.get(id);
          return row && ["resolved", "escalated", "failed"].includes(row.status) && row;
        },
        180_000,
      );
      if (done.status !== "resolved") throw new Error(`incident ${id} ended ${done.status}: ${done.summary}`);
      loop.push(performance.now() - arrived);
      await remove(name);
    }
    const p50 = (xs: number[]) => percentile(xs, 50);
    return {
      what: "Alertmanager webhook → incident resolved (evidence, policy, restart, verified healthy) on the real engine vs the same container's raw dockerode restart → healthy",
      rounds,
      resolution_ms: { p50: round(p50(loop), 1), max: round(Math.max(...loop), 1) },
      raw_restart_to_healthy_ms: { p50: round(p50(raw), 1), max: round(Math.max(...raw), 1) },
      jarvis_overhead_ms_p50: round(p50(loop) - p50(raw), 1),
      ratio_p50: round(p50(loop) / p50(raw), 2),
    };
  } finally {
    await jarvis.incidents.idle();
    await jarvis.close();
    await database.close();
    await removeTestContainers(docker, runId).catch(() => {});
  }
}
