import type { ContainerInfo } from "dockerode";

/** Shapes Docker's list and inspect answers into the compact records the tools return. */

export const stackLabel = "com.docker.compose.project";
export const serviceLabel = "com.docker.compose.service";
export const workingDirLabel = "com.docker.compose.project.working_dir";

export type Health = "healthy" | "unhealthy" | "starting" | "none";

/**
 * Health from the list endpoint's Status text ("Up 5 minutes (healthy)", "(health: starting)"),
 * or from inspect's State.Health.Status. Anything else means the container has no healthcheck.
 */
export function parseHealth(text: string | undefined | null): Health {
  const value = (text ?? "").toLowerCase();
  if (/\bunhealthy\b/.test(value)) return "unhealthy";
  if (/\bhealth: starting\b|^starting$/.test(value)) return "starting";
  if (/\bhealthy\b/.test(value)) return "healthy";
  return "none";
}

/** The 12-character id `docker ps` shows. */
export const shortId = (id: string): string => id.replace(/^sha256:/, "").slice(0, 12);

/**
 * The container's own name from the list endpoint's Names (["/plex"]). Legacy links add entries
 * like "/web/db", so the one without a second slash is the canonical name.
 */
export function canonicalName(names: readonly string[] | undefined, id: string): string {
  const own = (names ?? []).find((n) => n.lastIndexOf("/") === 0) ?? names?.[0];
  return own ? own.replace(/^\//, "") : shortId(id);
}

/** "0.0.0.0:8080->80/tcp" or "80/tcp", as `docker ps` prints them, de-duplicated (IPv4 and IPv6 binds). */
export function formatListPorts(ports: ContainerInfo["Ports"] | undefined): string[] {
  const out = (ports ?? []).map((p) =>
    p.PublicPort
      ? `${p.IP ?? "0.0.0.0"}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`
      : `${p.PrivatePort}/${p.Type}`,
  );
  return [...new Set(out)];
}

/** Inspect's NetworkSettings.Ports ({"80/tcp": [{HostIp, HostPort}] | null}) in the same format. */
export function formatInspectPorts(
  ports: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | undefined,
): string[] {
  const out: string[] = [];
  for (const [containerPort, binds] of Object.entries(ports ?? {})) {
    if (!binds?.length) out.push(containerPort);
    else for (const b of binds) out.push(`${b.HostIp || "0.0.0.0"}:${b.HostPort}->${containerPort}`);
  }
  return [...new Set(out)];
}

/** One row of docker_list_containers. */
export interface ContainerSummary {
  host: string;
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  health: Health;
  stack: string | null;
  service: string | null;
  created: string;
  ports: string[];
}

export function summarizeContainer(host: string, c: ContainerInfo): ContainerSummary {
  return {
    host,
    id: shortId(c.Id),
    name: canonicalName(c.Names, c.Id),
    image: c.Image,
    state: c.State,
    status: c.Status,
    health: parseHealth(c.Status),
    stack: c.Labels?.[stackLabel] ?? null,
    service: c.Labels?.[serviceLabel] ?? null,
    created: new Date(c.Created * 1000).toISOString(),
    ports: formatListPorts(c.Ports),
  };
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
