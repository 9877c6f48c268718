import type { Jarvis } from "../jarvis.ts";

export interface Probe {
  name: string;
  ok: boolean;
  error?: string;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

const probe = (name: string, check: () => Promise<unknown>, ms: number): Promise<Probe> =>
  withTimeout(check(), ms).then(
    () => ({ name, ok: true }),
    (error: Error) => ({ name, ok: false, error: error.message }),
  );

/**
 * The health checks `/healthz` and `/api/status` share: the database, each Docker host, each
 * configured media server (Plex, Sunshine), Google and Home Assistant, each with a timeout, and each mounted
 * MCP server's connection state, so one host that hangs cannot hold the answer.
 */
export async function runProbes(jarvis: Jarvis, ms = 3000) {
  const { plex, sunshine, google } = jarvis.clients;
  const ha = jarvis.clients.homeassistant;
  const [database, docker, media, homeassistant] = await Promise.all([
    probe(jarvis.database.kind, () => jarvis.database.ping(), ms),
    Promise.all(jarvis.clients.docker.hosts.map((host) => probe(host.name, () => host.docker.ping(), ms))),
    // Media servers that are configured: each its own probe, so one that is down degrades only.
    Promise.all([
      ...(plex ? [probe("plex", () => plex.ping(AbortSignal.timeout(ms)), ms)] : []),
      ...(sunshine
        ? [probe(`sunshine ${sunshine.name}`, () => sunshine.ping(AbortSignal.timeout(ms)), ms)]
        : []),
      ...(google ? [probe("google", () => google.ping(AbortSignal.timeout(ms)), ms)] : []),
    ]),
    ha ? probe(ha.url, () => ha.ping(), ms) : undefined,
  ]);
  const mcp = jarvis.mounts.status();
  const others = [...docker, ...media, ...mcp, ...(homeassistant ? [homeassistant] : [])];
  const status = !database.ok ? "down" : others.every((d) => d.ok) ? "ok" : "degraded";
  return { status, database, docker, media, mcp, homeassistant } as const;
}
