import type Docker from "dockerode";
import { defineTool } from "../define-tool.ts";
import { onHost } from "../docker/docker-error.ts";
import { DockerUsageInput } from "./schemas.ts";

interface DfImage {
  Size?: number;
  SharedSize?: number;
  Containers?: number;
  RepoTags?: string[] | null;
}
interface DfContainer {
  SizeRw?: number;
  State?: string;
}
interface DfVolume {
  UsageData?: { Size?: number; RefCount?: number } | null;
}
interface DfCache {
  Size?: number;
  InUse?: boolean;
}
export interface DockerDf {
  LayersSize?: number;
  Images?: DfImage[] | null;
  Containers?: DfContainer[] | null;
  Volumes?: DfVolume[] | null;
  BuildCache?: DfCache[] | null;
}

const sum = <T>(items: readonly T[], of: (item: T) => number | undefined) =>
  items.reduce((total, item) => total + Math.max(0, of(item) ?? 0), 0);

const dangling = (i: DfImage) => !i.RepoTags?.length || i.RepoTags.every((t) => t === "<none>:<none>");

/** Docker's disk use by kind, with what each docker_prune would reclaim (dangling images only, as it prunes). */
export function summarizeDf(df: DockerDf) {
  const images = df.Images ?? [];
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  return {
    images: {
      count: images.length,
      sizeBytes: df.LayersSize ?? sum(images, (i) => i.Size),
      reclaimableBytes: sum(
        images.filter((i) => dangling(i) && !i.Containers),
        (i) => (i.Size ?? 0) - (i.SharedSize ?? 0),
      ),
      danglingCount: images.filter(dangling).length,
    },
    containers: {
      count: containers.length,
      sizeBytes: sum(containers, (c) => c.SizeRw),
      reclaimableBytes: sum(
        containers.filter((c) => c.State !== "running"),
        (c) => c.SizeRw,
      ),
      stoppedCount: containers.filter((c) => c.State !== "running").length,
    },
    volumes: {
      count: volumes.length,
      sizeBytes: sum(volumes, (v) => v.UsageData?.Size),
      reclaimableBytes: sum(
        volumes.filter((v) => v.UsageData?.RefCount === 0),
        (v) => v.UsageData?.Size,
      ),
      unusedCount: volumes.filter((v) => v.UsageData?.RefCount === 0).length,
    },
    buildCache: {
      sizeBytes: sum(cache, (c) => c.Size),
      reclaimableBytes: sum(
        cache.filter((c) => !c.InUse),
        (c) => c.Size,
      ),
    },
  };
}

/** Reads `docker system df` from one host (it can take a while on a big engine). */
export function readDf(docker: Docker, signal: AbortSignal): Promise<DockerDf> {
  return (docker.df as unknown as (o: { abortSignal: AbortSignal }) => Promise<DockerDf>).call(docker, {
    abortSignal: signal,
  });
}

/** storage_docker_usage: docker system df for one host. */
export const dockerUsage = defineTool({
  name: "storage_docker_usage",
  title: "Docker disk usage",
  description:
    "Shows how much disk Docker uses on a host (images, containers, volumes, build cache), with how much of each docker_prune would reclaim (like docker system df).",
  input: DockerUsageInput,
  risk: "read",
  idempotent: true,
  target: (input, ctx) => ctx.clients.docker.get(input.host).name,
  timeoutMs: 120_000,
  async run(input, ctx) {
    const host = ctx.clients.docker.get(input.host);
    const df = await onHost(host, ctx.signal, (signal) => readDf(host.docker, signal), {
      what: "disk usage",
      deadlineMs: 110_000,
    });
    return { host: host.name, ...summarizeDf(df) };
  },
});
