import pg from "pg";
import { JarvisError } from "../../errors.ts";
import type { Secret } from "../../secret.ts";

/** Where a PostgreSQL server is and who Jarvis is there (the password comes from the secret store). */
export interface PgServer {
  host: string;
  port: number;
  user: string;
  password?: Secret;
}

/** What Jarvis asks a PostgreSQL server directly (pg_dump and pg_restore run as programs). */
export interface Postgres {
  /** Databases on the server (not templates) with their sizes in bytes. */
  databases(server: PgServer): Promise<Array<{ name: string; sizeBytes: number }>>;
  exists(server: PgServer, database: string): Promise<boolean>;
  /** Tables, views, sequences and materialized views outside the system schemas. */
  relationCount(server: PgServer, database: string): Promise<number>;
  createDatabase(server: PgServer, database: string): Promise<void>;
}

async function withClient<T>(
  server: PgServer,
  database: string,
  fn: (client: pg.Client) => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const client = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password?.reveal(),
    database,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    application_name: "jarvis",
  });
  try {
    await client.connect();
    return await fn(client);
  } catch (error) {
    const message = (error as Error).message;
    if (/password authentication failed|no password supplied/i.test(message))
      throw new JarvisError(
        "denied",
        `PostgreSQL at ${server.host}:${server.port} refused the stored password for ${server.user}`,
        { cause: error },
      );
    if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timeout/i.test(message))
      throw new JarvisError("unavailable", `PostgreSQL at ${server.host}:${server.port} does not answer`, {
        cause: error,
      });
    throw new JarvisError("tool_failed", `PostgreSQL at ${server.host}:${server.port}: ${message}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

/** The node-postgres implementation; every call opens and closes its own connection. */
export function createPostgres(options: { timeoutMs?: number } = {}): Postgres {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    databases: (server) =>
      withClient(
        server,
        "postgres",
        async (c) =>
          (
            await c.query<{ name: string; size: string }>(
              "SELECT datname AS name, pg_database_size(oid)::text AS size FROM pg_database WHERE NOT datistemplate ORDER BY datname",
            )
          ).rows.map((r) => ({ name: r.name, sizeBytes: Number(r.size) })),
        timeoutMs,
      ),
    exists: (server, database) =>
      withClient(
        server,
        "postgres",
        async (c) =>
          (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1,
        timeoutMs,
      ),
    relationCount: (server, database) =>
      withClient(
        server,
        database,
        async (c) =>
          Number(
            (
              await c.query<{ n: string }>(
                `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
              )
            ).rows[0]!.n,
          ),
        timeoutMs,
      ),
    createDatabase: (server, database) =>
      withClient(
        server,
        "postgres",
        async (c) => {
          // An identifier cannot be a bind parameter; escapeIdentifier quotes it safely.
          await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)}`);
        },
        timeoutMs,
      ),
  };
}
