import type { ContainerStats } from "dockerode";
import { JarvisError, toJarvisError } from "../../errors.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import type { DockerHost } from "./client.ts";
import { onHost } from "./docker-error.ts";
import { canonicalName, mapLimit, shortId } from "./format.ts";
import { type HostError, onHosts } from "./hosts.ts";
import { containerTarget, resolveInput } from "./resolve.ts";
import { ContainerStatsInput } from "./schemas.ts";
import { type StatsSummary, summarizeStats } from "./stats-math.ts";

/** Each sample takes the engine about a second (it waits for a second CPU reading); four at a time keeps it responsive. */
const concurrency = 4;

export interface ContainerStatsRow extends StatsSummary {
  host: string;
  id: string;
  name: string;
}

async function sample(
  host: DockerHost,
  id: string,
  name: string,
  signal: AbortSignal,
): Promise<ContainerStatsRow> {
  // stream=false without one-shot: the engine waits for a second sample so CPU % has a delta.
  // dockerode honours abortSignal here although its types omit it.
  const stats: ContainerStats = await onHost(
    host,
    signal,
    (s) => host.docker.getContainer(id).stats({ stream: false, abortSignal: s } as { stream: false }),
    { what: `container "${name}"`, deadlineMs: 20_000 },
  );
  return { host: host.name, id: shortId(id), name, ...summarizeStats(stats) };
}

async function one(input: ContainerStatsInput, ctx: ToolContext): Promise<ContainerStatsRow> {
  const { host, id, name } = await resolveInput(input, ctx);
  const what = `container "${name}"`;
  const info = await onHost(
    host,
    ctx.signal,
    (s) => host.docker.getContainer(id).inspect({ abortSignal: s }),
    { what },
  );
  if (!info.State.Running) {
    throw new JarvisError(
      "conflict",
      `Container "${name}" on host ${host.name} is ${info.State.Status}; resource stats exist only for running containers`,
      { details: { container: name, host: host.name, state: info.State.Status } },
    );
  }
  return sample(host, id, name, ctx.signal);
}

/** Every running container's sample, with hosts or containers that could not answer in `errors`. */
export interface StatsOfAll {
  containers: ContainerStatsRow[];
  errors: HostError[];
}

async function all(host: string | undefined, ctx: ToolContext): Promise<StatsOfAll> {
  const listed = await onHosts(ctx.clients.docker, host, ctx.signal, (h, signal) =>
    h.docker.listContainers({ all: false, abortSignal: signal }),
  );
  const jobs = listed.results.flatMap(({ host: h, value }) =>
    value.map((c) => ({ host: h, id: c.Id, name: canonicalName(c.Names, c.Id) })),
  );
  const errors: HostError[] = [...listed.errors];
  const rows = await mapLimit(jobs, concurrency, async (job) => {
    try {
      return await sample(job.host, job.id, job.name, ctx.signal);
    } catch (error) {
      // A container that stopped between the list and its sample is not worth failing the rest for.
      errors.push({ host: job.host.name, message: toJarvisError(error).message });
      return undefined;
    }
  });
  const containers = rows
    .filter((row): row is ContainerStatsRow => row !== undefined)
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  return { containers, errors };
}

/** docker_container_stats: a one-shot CPU, memory, network, disk I/O and pids sample. */
export const containerStats = defineTool({
  name: "docker_container_stats",
  title: "Container resource usage",
  description:
    "Samples CPU %, memory (usage without page cache, limit, %), network rx/tx bytes, block I/O bytes and process count. With container it returns that container's numbers; without, { containers, errors } for every running container on host (or on all hosts). Use it to find what is eating CPU or memory.",
  input: ContainerStatsInput,
  risk: "read",
  target: (input, ctx) => (input.container === undefined ? undefined : containerTarget(input, ctx)),
  // Sampling every running container takes about a second per four containers.
  timeoutMs: 120_000,
  run: (input, ctx): Promise<ContainerStatsRow | StatsOfAll> =>
    input.container === undefined ? all(input.host, ctx) : one(input, ctx),
});
