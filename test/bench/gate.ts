import Docker from "dockerode";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { dockerOptions } from "../../src/tools/docker/client.ts";
import { percentile, round, time } from "./stats.ts";

/**
 * The gate's overhead: docker_list_containers through runTool (validate, policy, audit row before
 * and after, output bound) against a raw dockerode listContainers, interleaved in the same run.
 */
export async function benchGate(options: { calls: number }) {
  const config = { ...loadConfig(), dataDir: "memory://" };
  const host = config.docker.hosts[0]!;
  const raw = new Docker(dockerOptions(host, config.docker.sshAgent));
  await raw.ping().catch((error: Error) => {
    throw new Error(`The gate bench needs a Docker engine at ${host.url}: ${error.message}`);
  });
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  const principal = { id: "bench", name: "bench", role: "admin" } as const;
  const viaGate = () =>
    jarvis.runTool(
      { tool: "docker_list_containers", args: { host: host.name } },
      { source: "api", principal },
    );
  const direct = () => raw.listContainers({ all: true });

  for (let i = 0; i < 20; i++) {
    await viaGate();
    await direct();
  }
  const gate: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < options.calls; i++) {
    baseline.push(await time(direct));
    gate.push(await time(viaGate));
  }
  const containers = (await direct()).length;
  await database.close();
  const median = (xs: number[]) => percentile(xs, 50);
  return {
    what: "docker_list_containers through runTool vs raw dockerode listContainers (same engine, interleaved)",
    calls: options.calls,
    containers,
    database: "pglite (in memory)",
    gate_ms: { p50: round(median(gate)), p95: round(percentile(gate, 95)) },
    raw_ms: { p50: round(median(baseline)), p95: round(percentile(baseline, 95)) },
    overhead_ms_p50: round(median(gate) - median(baseline)),
    ratio_p50: round(median(gate) / median(baseline), 2),
  };
}
