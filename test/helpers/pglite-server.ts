import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { Secret } from "../../src/secret.ts";
import { freePort } from "./net.ts";

export interface PgliteServer {
  /** postgres://… on loopback, for openDatabase({url}) and the `pg` driver. */
  url: Secret;
  stop(): Promise<void>;
}

/**
 * A PGlite with pgvector served over the Postgres wire protocol on loopback, so tests and the
 * bench exercise the node-postgres path (Debian's PostgreSQL here has no pgvector).
 * `dataDir` keeps it on disk (restart tests); in memory otherwise.
 */
export async function startPgliteServer(options: { dataDir?: string } = {}): Promise<PgliteServer> {
  const db = await PGlite.create(options.dataDir ?? "memory://", { extensions: { vector } });
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 20 });
  await server.start();
  return {
    url: new Secret(`postgres://postgres@127.0.0.1:${port}/postgres`),
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
