import { toJarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { onHost } from "../docker/docker-error.ts";
import { readDf, summarizeDf } from "./docker-usage.ts";
import { CleanupPlanInput } from "./schemas.ts";

export interface CleanupItem {
  what: string;
  host?: string;
  bytes: number;
  /** The gated tool call that would do it; the plan itself never deletes. */
  call: string;
}

/** storage_cleanup_plan: what pruning would free on each Docker host, biggest first; read-only. */
export const cleanupPlan = defineTool({
  name: "storage_cleanup_plan",
  title: "Cleanup plan",
  description:
    "Proposes what could be deleted to free space on each Docker host (dangling images, stopped containers, unused volumes, build cache), with the bytes each would free and the docker_prune call that would do it. Changes nothing: deleting is a separate, approved call.",
  input: CleanupPlanInput,
  risk: "read",
  idempotent: true,
  timeoutMs: 120_000,
  async run(_input, ctx) {
    const items: CleanupItem[] = [];
    const unreachable: Array<{ host: string; error: string }> = [];
    await Promise.all(
      ctx.clients.docker.hosts.map(async (host) => {
        try {
          const df = summarizeDf(
            await onHost(host, ctx.signal, (s) => readDf(host.docker, s), {
              what: "disk usage",
              deadlineMs: 110_000,
            }),
          );
          const hostArg = ctx.clients.docker.hosts.length > 1 ? `, host: ${host.name}` : "";
          const add = (what: string, bytes: number, prune: string) => {
            if (bytes > 0)
              items.push({ what, host: host.name, bytes, call: `docker_prune {what: ${prune}${hostArg}}` });
          };
          add(
            `${df.images.danglingCount} dangling Docker images on ${host.name}`,
            df.images.reclaimableBytes,
            "images",
          );
          add(
            `${df.containers.stoppedCount} stopped containers on ${host.name}`,
            df.containers.reclaimableBytes,
            "containers",
          );
          add(
            `${df.volumes.unusedCount} unused Docker volumes on ${host.name} (their data is lost)`,
            df.volumes.reclaimableBytes,
            "volumes",
          );
          add(`Docker build cache on ${host.name}`, df.buildCache.reclaimableBytes, "build_cache");
        } catch (error) {
          unreachable.push({ host: host.name, error: toJarvisError(error).message });
        }
      }),
    );
    items.sort((a, b) => b.bytes - a.bytes);
    return {
      totalReclaimableBytes: items.reduce((sum, i) => sum + i.bytes, 0),
      items,
      ...(unreachable.length ? { unreachable } : {}),
      note: "Nothing was deleted. Each item's call is a separate action that needs approval.",
    };
  },
});
