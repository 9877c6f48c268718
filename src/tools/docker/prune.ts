import type Docker from "dockerode";
import { defineTool } from "../define-tool.ts";
import { onHost } from "./docker-error.ts";
import { shortId } from "./format.ts";
import { type PruneInput, PruneInput as PruneSchema, type PruneWhat } from "./schemas.ts";

/** Item names we list back; the count is always exact. */
const maxItems = 100;
/** Pruning images or build cache can take minutes on a full disk. */
const pruneTimeoutMs = 300_000;

interface Pruned {
  items: string[];
  spaceReclaimed: number;
}

type Filters = Record<string, string[]>;

async function prune(
  docker: Docker,
  what: PruneWhat,
  filters: Filters,
  abortSignal: AbortSignal,
): Promise<Pruned> {
  switch (what) {
    case "containers": {
      const r = await docker.pruneContainers({ filters, abortSignal });
      return { items: (r.ContainersDeleted ?? []).map(shortId), spaceReclaimed: r.SpaceReclaimed ?? 0 };
    }
    case "images": {
      // Dangling (untagged) images only: a tagged image may be what the next `up` needs.
      const r = await docker.pruneImages({ filters: { ...filters, dangling: ["true"] }, abortSignal });
      const items = (r.ImagesDeleted ?? []).map((i) =>
        i.Deleted ? shortId(i.Deleted) : `untagged ${i.Untagged}`,
      );
      return { items, spaceReclaimed: r.SpaceReclaimed ?? 0 };
    }
    case "volumes": {
      const r = await docker.pruneVolumes({ filters, abortSignal });
      return { items: r.VolumesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0 };
    }
    case "networks": {
      const r = await docker.pruneNetworks({ filters, abortSignal });
      return { items: r.NetworksDeleted ?? [], spaceReclaimed: 0 };
    }
    case "build_cache": {
      const r = (await docker.pruneBuilder({ abortSignal })) as {
        CachesDeleted?: string[] | null;
        SpaceReclaimed?: number;
      };
      return { items: r.CachesDeleted ?? [], spaceReclaimed: r.SpaceReclaimed ?? 0 };
    }
  }
}

/** docker_prune: removes unused containers, dangling images, volumes, networks or build cache on one host. */
export const pruneDocker = defineTool({
  name: "docker_prune",
  title: "Prune unused Docker objects",
  description:
    "Deletes unused Docker objects of one kind on one host (the default host unless host is given): stopped containers, dangling images, unused volumes (their data is lost), unused networks, or build cache. Returns what was removed and the bytes reclaimed. label limits it to objects with that label.",
  input: PruneSchema,
  risk: "destructive",
  idempotent: true,
  target: (input, ctx) => ctx.clients.docker.get(input.host).name,
  timeoutMs: pruneTimeoutMs,
  async run(input: PruneInput, ctx) {
    const host = ctx.clients.docker.get(input.host);
    const filters: Filters = input.label ? { label: [input.label] } : {};
    const request = (signal: AbortSignal) => prune(host.docker, input.what, filters, signal);
    const options = { what: `prune ${input.what}`, deadlineMs: pruneTimeoutMs };
    const { items, spaceReclaimed } = await onHost(host, ctx.signal, request, options);
    ctx.log.info("pruned", { host: host.name, what: input.what, removed: items.length, spaceReclaimed });
    return {
      host: host.name,
      what: input.what,
      removed: items.length,
      items: items.slice(0, maxItems),
      ...(items.length > maxItems ? { itemsNotListed: items.length - maxItems } : {}),
      spaceReclaimed,
    };
  },
});
