import type { ContainerInfo } from "dockerode";
import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import type { DockerClients, DockerHost } from "./client.ts";
import { onHost } from "./docker-error.ts";
import { canonicalName } from "./format.ts";

/** A container pinned down to one host, one full id and its canonical name. */
export interface ResolvedContainer {
  host: DockerHost;
  id: string;
  name: string;
}

interface Match {
  host: DockerHost;
  info: ContainerInfo;
  by: "name" | "id";
}

/** Matches on one host: exact names first; ids (full or a prefix of 3+ hex characters) only when no name matched. */
function matchOnHost(host: DockerHost, list: ContainerInfo[], ref: string): Match[] {
  const byName = list.filter((c) => (c.Names ?? []).some((n) => n === `/${ref}`));
  if (byName.length) return byName.map((info) => ({ host, info, by: "name" }));
  if (!/^[0-9a-f]{3,64}$/i.test(ref)) return [];
  const prefix = ref.toLowerCase();
  return list.filter((c) => c.Id.startsWith(prefix)).map((info) => ({ host, info, by: "id" }));
}

/**
 * Finds a container by exact name, then by id or id prefix. With `host` it looks there only;
 * without, it asks every configured host and insists on exactly one match, so that "restart plex"
 * never picks one of two hosts' plex by accident.
 */
export async function resolveContainer(
  clients: DockerClients,
  ref: string,
  hostName: string | undefined,
  signal: AbortSignal,
): Promise<ResolvedContainer> {
  const hosts = hostName !== undefined ? [clients.get(hostName)] : clients.hosts;
  const listed = await Promise.allSettled(
    hosts.map((host) =>
      onHost(host, signal, (s) => host.docker.listContainers({ all: true, abortSignal: s })),
    ),
  );
  const down: string[] = [];
  let matches: Match[] = [];
  for (const [index, outcome] of listed.entries()) {
    const host = hosts[index]!;
    if (outcome.status === "fulfilled") matches.push(...matchOnHost(host, outcome.value, ref));
    else if (hostName !== undefined)
      throw outcome.reason; // the one host asked for is down
    else down.push((outcome.reason as Error).message);
  }
  // A name match anywhere beats a coincidental id-prefix match ("abc" named container vs id abc…).
  if (matches.some((m) => m.by === "name")) matches = matches.filter((m) => m.by === "name");

  if (matches.length === 1) {
    const { host, info } = matches[0]!;
    return { host, id: info.Id, name: canonicalName(info.Names, info.Id) };
  }
  if (matches.length > 1) {
    const where = matches.map(
      (m) => `${m.host.name}/${canonicalName(m.info.Names, m.info.Id)} (${m.info.Id.slice(0, 12)})`,
    );
    const sameHost = new Set(matches.map((m) => m.host.name)).size === 1;
    const hint = sameHost ? "pass a longer id or the exact name" : "pass host to say which one";
    const message = `"${ref}" matches ${matches.length} containers: ${where.join(", ")}; ${hint}`;
    throw new JarvisError("conflict", message, { details: { container: ref, matches: where } });
  }
  const scope =
    hosts.length === 1 ? `on host ${hosts[0]!.name}` : `on any host (${hosts.map((h) => h.name).join(", ")})`;
  const unreachable = down.length ? `; could not check: ${down.join("; ")}` : "";
  throw new JarvisError(
    "not_found",
    `No container named "${ref}" ${scope}${unreachable}. List containers with docker_list_containers.`,
    { details: { container: ref, host: hostName } },
  );
}

/**
 * The gate calls `target` and then `run` with the same input object: remembering the resolution
 * per input makes `run` act on exactly the container the policy judged, even if a container is
 * renamed or recreated in between.
 */
const resolved = new WeakMap<object, Promise<ResolvedContainer>>();

/** Resolves `{container, host?}` once per call (see `resolved`). */
export function resolveInput(
  input: { container?: string; host?: string },
  ctx: ToolContext,
): Promise<ResolvedContainer> {
  const ref = input.container;
  if (ref === undefined) return Promise.reject(new JarvisError("invalid_input", "container is required"));
  let pending = resolved.get(input);
  if (!pending) {
    pending = resolveContainer(ctx.clients.docker, ref, input.host, ctx.signal);
    resolved.set(input, pending);
    // A failed lookup must not be replayed to a later call that reuses the object.
    pending.catch(() => resolved.delete(input));
  }
  return pending;
}

/** The policy/audit target: host and canonical name, whatever the caller typed (name, id or prefix). */
export async function containerTarget(
  input: { container?: string; host?: string },
  ctx: ToolContext,
): Promise<string> {
  const { host, name } = await resolveInput(input, ctx);
  return `${host.name}/${name}`;
}
