import { mkdirSync } from "node:fs";
import { serve } from "@hono/node-server";
import { startBackground } from "../background.ts";
import type { Config } from "../config.ts";
import { type DataDirLock, lockDataDir } from "../db/lock.ts";
import { JarvisError } from "../errors.ts";
import { startMonitors } from "../incidents/monitors/index.ts";
import { createJarvis } from "../jarvis.ts";
import type { Logger } from "../log.ts";
import { reapGone } from "../reap.ts";
import { createApp } from "./app.ts";
import { ensureAdminToken } from "./first-run.ts";
import { createMcpSessions } from "./routes/mcp.ts";
import { createWorkerApp } from "./worker-app.ts";

export interface Running {
  url: string;
  stop(): Promise<void>;
}

/** Starts Jarvis: lock the data dir, open the database (migrations), first-run token, listen. */
/**
 * Refuses a role other than `all` without Redis and a shared database: an api process alone
 * would enqueue jobs nothing runs, and a worker on its own embedded database would work alone.
 */
export function checkRole(config: Config): void {
  if (config.role !== "all" && (!config.redis.url || !config.database.url)) {
    throw new JarvisError(
      "invalid_config",
      `Role ${config.role} needs REDIS_URL and DATABASE_URL (shared by the api and worker processes); without them run --role all (the default), which does both in one process`,
    );
  }
}

export async function startServer(config: Config, log: Logger): Promise<Running> {
  checkRole(config);
  /** Whether this process runs jobs, schedules and monitors (api processes only enqueue). */
  const worker = config.role !== "api";
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const lock: DataDirLock | undefined = config.database.url ? undefined : lockDataDir(config.dataDir);
  try {
    const jarvis = await createJarvis(config, { log });
    // Holding the embedded database's lock, no other process can be alive: its work is interrupted.
    if (lock) await jarvis.instances.forgetOthers();
    await reapGone(jarvis);
    await jarvis.approvals.expire();
    await jarvis.sessions.prune();
    // A cold start (no other process alive) picks up incidents left mid-way; with other processes
    // alive, the job queue hands a dead worker's steps on, and resuming here would race them.
    if ((await jarvis.instances.list()).length === 1) {
      const resumed = await jarvis.incidents.resume();
      if (resumed) log.warn(`resuming ${resumed} incident(s) the previous process left mid-way`);
    }
    await ensureAdminToken(jarvis.tokens, config.dataDir, log);
    const monitors = worker ? startMonitors(jarvis) : { stop: async () => {} };
    const background = await startBackground(jarvis, { start: worker });
    const mcpSessions = createMcpSessions(jarvis);
    const app = config.role === "worker" ? createWorkerApp(jarvis) : createApp(jarvis, { mcpSessions });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, () =>
        resolve(s),
      );
      s.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.server.port;
    const url = `http://${config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host}:${port}`;
    log.info(`Jarvis is listening on ${url}`, {
      role: config.role,
      jobs: jarvis.jobs.kind,
      database: jarvis.database.kind,
      docker: jarvis.clients.docker.hosts.map((h) => h.name).join(","),
      model: config.model,
    });
    return {
      url,
      stop: async () => {
        await monitors.stop();
        background.stop();
        await mcpSessions.closeAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        await closed;
        await jarvis.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
