import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { silentLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import type { IncidentView } from "../src/tools/incidents/view.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { type Cluster, type ClusterNode, startCluster } from "./helpers/scale-cluster.ts";
import { eventually } from "./helpers/unhealthy-container.ts";

const stream = "docker-events:local";
/** The lease key of the stream in Redis (src/jobs/index.ts: `<prefix>:lease:`, src/incidents/monitors: `monitor:`). */
const leaseKey = `jarvis:lease:monitor:${stream}`;

/**
 * Two real `jarvis serve` processes, both with the Docker events monitor on, on one redis-server
 * and one PostgreSQL, watching the real test engine: a container that dies is ingested once (one
 * process leads the stream), and when the leader is killed the other takes over and reads on from
 * where the stream got to, so a death while nobody led is ingested too, once.
 */
describe("scale-out: one process runs each event-stream monitor", { timeout: 400_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const names: string[] = [];
  let cluster: Cluster;
  let redis: Redis;

  const get = async <T>(node: ClusterNode, path: string): Promise<T> => {
    const response = await fetch(`${node.url}${path}`, {
      headers: { authorization: `Bearer ${cluster.adminToken}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  /** The process that leads the Docker events stream, as `node`'s /healthz says. */
  const leaderSeenBy = async (node: ClusterNode) =>
    (await get<{ monitors?: Record<string, { leader: string | null }> }>(node, "/healthz")).monitors?.[stream]
      ?.leader ?? null;
  const nodeOf = (leader: string) => cluster.nodes.find((n) => leader.endsWith(`:${n.child.pid}`));

  /** Runs a container that exits with code 3 (a crash: a ContainerDied alert) and waits until it has. */
  async function crash(label: string): Promise<string> {
    const name = `jt-scale-mon-${label}-${process.pid}`;
    names.push(name);
    const container = await startTestContainer(docker, {
      name,
      runId: inject("testRunId"),
      cmd: ["sh", "-c", "exit 3"],
    });
    await container.wait();
    return name;
  }
  const incidentOf = (node: ClusterNode, name: string) =>
    eventually(`the incident for ${name}`, async () => {
      const { incidents } = await get<{ incidents: IncidentView[] }>(node, "/api/incidents?limit=1000");
      return incidents.find((i) => i.fingerprint === `docker:local/${name}:ContainerDied`);
    });

  beforeAll(async () => {
    cluster = await startCluster({
      count: 2,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOCKER_HOST: `unix://${inject("dockerSocket")}`,
        JARVIS_SECRET_KEY: "b".repeat(64),
        JARVIS_MONITOR_DOCKER: "true",
        JARVIS_MONITOR_DISK: "false",
        JARVIS_MONITOR_DOMAINS: "false",
        // The lease TTL: a dead leader is replaced within 3 s.
        JARVIS_JOBS_LOCK_MS: "3000",
      },
    });
    redis = connectRedis(new Secret(cluster.redis.url), silentLogger, "test");
  });
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    for (const name of names)
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => {});
  });

  it("both processes name the same leader, and a container that dies is ingested once", async () => {
    const [a, b] = cluster.nodes as [ClusterNode, ClusterNode];
    const leader = await eventually("a leader", () => leaderSeenBy(a).then((l) => l ?? undefined));
    expect(await leaderSeenBy(b)).toBe(leader);
    const leading = nodeOf(leader)!;
    const following = cluster.nodes.find((n) => n !== leading)!;
    expect(leading).toBeDefined();
    expect(leading.log()).toContain(`leading monitor:${stream}`);
    expect(following.log()).not.toContain(`leading monitor:${stream}`);

    const first = await crash("1");
    expect(await incidentOf(following, first)).toMatchObject({ alertCount: 1, source: "docker" });
    // A later death, once ingested, shows the stream past the first one: had both processes ingested
    // the first, its count would be 2 by now.
    const second = await crash("2");
    await incidentOf(following, second);
    expect((await incidentOf(following, first)).alertCount).toBe(1);
  });

  it("the leader killed (SIGKILL): the other takes over, reads on from where the stream got to, and ingests each death once", async () => {
    const leader = (await leaderSeenBy(cluster.nodes[0]!))!;
    const dead = nodeOf(leader)!;
    const survivor = cluster.nodes.find((n) => n !== dead)!;
    dead.child.kill("SIGKILL");
    await new Promise((r) => dead.child.once("exit", r));
    // Hold the lease in the dead leader's place, so that the next death surely falls in the gap.
    expect(await redis.set(leaseKey, "test:0#gap", "PX", 120_000, "XX")).toBe("OK");
    const inGap = await crash("3");
    expect(await leaderSeenBy(survivor)).toBe("test:0");
    await redis.del(leaseKey);
    const taken = await eventually("the survivor leads", () =>
      leaderSeenBy(survivor).then((l) => (l && nodeOf(l) === survivor ? l : undefined)),
    );
    expect(survivor.log()).toMatch(new RegExp(`leading monitor:${stream} .*holder=${taken}`));
    expect(await incidentOf(survivor, inGap)).toMatchObject({ alertCount: 1 });
    const after = await crash("4");
    expect(await incidentOf(survivor, after)).toMatchObject({ alertCount: 1 });
    // Nothing the dead leader had ingested came again.
    for (const name of names.slice(0, 3)) expect((await incidentOf(survivor, name)).alertCount).toBe(1);
  });
});
