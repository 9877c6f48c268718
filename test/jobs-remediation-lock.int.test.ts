import Docker from "dockerode";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { dispatchRemediation } from "../src/incidents/remediation-job.ts";
import { createJarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { connectRedis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { testConfig } from "./helpers/jarvis.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { eventually, healthOf, startUnhealthyContainer } from "./helpers/unhealthy-container.ts";

const docker = new Docker({ socketPath: inject("dockerSocket") });
const name = `jt-jobs-lock-${process.pid}`;
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
  await startUnhealthyContainer(docker, { name, runId: inject("testRunId") });
});
afterAll(async () => {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => {});
  await redis.stop();
});

test("three loop steps for one container on two workers: the per-target lock lets one act, once", async () => {
  await eventually(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy");
  const database = await openDatabase({ dataDir: "memory://" });
  const config = testConfig({
    policy: {
      ...testConfig().policy,
      rules: [{ tool: "docker_restart_container", source: "alert", target: name, action: "allow" }],
    },
  });
  const connections = [1, 2].map(() => connectRedis(new Secret(redis.url), silentLogger, "test"));
  const [a, b] = await Promise.all(
    connections.map((connection) => createJarvis(config, { log: silentLogger, database, redis: connection })),
  );
  try {
    const [opened] = await a!.incidents.ingest([
      {
        source: "webhook",
        fingerprint: `lock-${name}`,
        status: "firing",
        labels: { alertname: "ContainerUnhealthy", container: name },
        annotations: {},
        startsAt: new Date(),
      },
    ]);
    const incident = opened!.incident!;
    // Besides the investigation: two more steps for the same incident, as two restarting processes would add.
    const dispatch = dispatchRemediation(b!.jobs);
    await dispatch({ step: "resume", incident });
    await dispatch({ step: "resume", incident });
    const steps = await a!.jobs.list({ name: "incident.remediate" });
    expect(steps).toHaveLength(3);
    await Promise.all([a!.jobs.start(), b!.jobs.start()]);
    const done = await eventually(
      "all three steps done",
      async () => {
        const views = await Promise.all(steps.map((s) => a!.jobs.get(s.id)));
        return views.every((v) => v?.state === "completed") && views;
      },
      120_000,
    );
    expect(done.map((v) => v!.progress)).toEqual(
      done.map(() => expect.objectContaining({ target: `local/${name}` })),
    );
    expect((await a!.incidents.store.get(incident))?.status).toBe("resolved");
    const restarts = await a!.audit.list({ tool: "docker_restart_container" });
    expect(restarts.filter((r) => r.target === `local/${name}`)).toHaveLength(1);
  } finally {
    await a!.close();
    await b!.close();
    for (const connection of connections) connection.disconnect();
    await database.close();
  }
});
