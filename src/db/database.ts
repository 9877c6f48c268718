import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { JarvisError } from "../errors.ts";
import type { Secret } from "../secret.ts";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  /** "pglite" (embedded, in the data directory) or "postgres" (DATABASE_URL). */
  kind: "pglite" | "postgres";
  /** A cheap round trip for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Directory for the embedded database; `memory://` keeps it in memory (tests, benchmarks). */
  dataDir: string;
  url?: Secret;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Describes a postgres URL without its password, for error messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

async function openPostgres(url: Secret): Promise<Database> {
  const where = describeUrl(url.reveal());
  const pool = new pg.Pool({ connectionString: url.reveal(), max: 10 });
  pool.on("error", () => {}); // idle-client errors surface on the next query instead of crashing
  try {
    const { rows } = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (rows.length === 0) {
      throw new JarvisError(
        "unavailable",
        `PostgreSQL at ${where} has no pgvector extension ("vector"). Install pgvector on the server ` +
          "(for example the pgvector/pgvector image, or the postgresql-<version>-pgvector package), " +
          "or unset DATABASE_URL to use the embedded database.",
      );
    }
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof JarvisError) throw error;
    throw new JarvisError(
      "unavailable",
      `Cannot connect to PostgreSQL at ${where}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const db = drizzleNodePg({ client: pool, schema });
  await migrateNodePg(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: "postgres",
    ping: async () => {
      await pool.query("SELECT 1");
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let location = dataDir;
  if (!dataDir.startsWith("memory://")) {
    location = join(dataDir, "db");
    mkdirSync(location, { recursive: true });
  }
  const client = await PGlite.create(location, { extensions: { vector } });
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    ping: async () => {
      await db.execute(sql`SELECT 1`);
    },
    close: () => client.close(),
  };
}

/** Opens the configured database and brings its schema up to date (migrations run at start-up). */
export function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}
