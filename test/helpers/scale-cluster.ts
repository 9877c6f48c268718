import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.ts";
import { type PgliteServer, startPgliteServer } from "./pglite-server.ts";
import { type RedisServer, startRedis } from "./redis.ts";
import { spawnServer } from "./serve-child.ts";

export interface ClusterNode {
  /** http://127.0.0.1:<port> */
  url: string;
  child: ChildProcess;
  log(): string;
}

export interface Cluster {
  redis: RedisServer;
  pg: PgliteServer;
  nodes: ClusterNode[];
  /** The admin token the first process created on the shared database. */
  adminToken: string;
  stop(): Promise<void>;
}

/**
 * Several real `jarvis serve` processes on one real redis-server and one PostgreSQL (a PGlite with
 * pgvector served over the wire protocol), each with its own data directory and port, started one
 * after the other (the first migrates the database and creates the admin token).
 */
export async function startCluster(options: { count: number; env: NodeJS.ProcessEnv }): Promise<Cluster> {
  const redis = await startRedis();
  const pg = await startPgliteServer();
  const dirs: string[] = [];
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    for (const node of nodes) node.child.kill("SIGKILL");
    await Promise.all(
      // A child a test already killed has a signalCode and no exitCode, and will not exit again.
      nodes.map((n) =>
        n.child.exitCode === null && n.child.signalCode === null
          ? new Promise((r) => n.child.once("exit", r))
          : undefined,
      ),
    );
    await pg.stop().catch(() => {});
    await redis.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < options.count; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), `jarvis-scale-${i}-`));
      dirs.push(dataDir);
      const port = await freePort();
      const started = await spawnServer({
        ...options.env,
        JARVIS_DATA_DIR: dataDir,
        PORT: String(port),
        DATABASE_URL: pg.url.reveal(),
        REDIS_URL: redis.url,
      });
      nodes.push({ url: `http://127.0.0.1:${port}`, child: started.child, log: started.log });
    }
    const adminToken = readFileSync(join(dirs[0]!, "admin-token"), "utf8").trim();
    return { redis, pg, nodes, adminToken, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
