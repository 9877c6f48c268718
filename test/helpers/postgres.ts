import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { requireBinary } from "./binaries.ts";
import { freePort } from "./net.ts";

/** A real PostgreSQL server (Debian's) that a test started, on loopback, with a password-only superuser. */
export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The directory of its unix socket (`.s.PGSQL.<port>`), to share with a container. */
  socketDir: string;
  /** Runs SQL as the superuser in `database` (default postgres) and returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  stop(): Promise<void>;
}

const pkg = "postgresql";

/** The uid and gid of the `postgres` system user the Debian package creates. */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line)
    throw new Error(
      `The tests run PostgreSQL as the "postgres" user, which does not exist. Install it with: apt-get install ${pkg} (or run bash .ci/run)`,
    );
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * How to start a PostgreSQL program as an unprivileged user: initdb and postgres refuse to run as
 * root, so as root they run through setpriv as `postgres` (no supplementary groups); as anyone
 * else they run directly. Always an argument array, never a shell.
 */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [binary, args];
  const { uid, gid } = postgresUser();
  const setpriv = requireBinary("setpriv", "util-linux");
  return [setpriv, [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "--", binary, ...args]];
}

async function connect(port: number, password: string, database = "postgres"): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "postgres", password, database });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** Starts PostgreSQL 15 from Debian in a temp directory (initdb), on 127.0.0.1 and a free port. */
export async function startPostgres(): Promise<Postgres> {
  const initdb = requireBinary("initdb", pkg);
  const postgres = requireBinary("postgres", pkg);
  const dir = mkdtempSync(join(tmpdir(), "jarvis-pg-"));
  const password = randomBytes(18).toString("base64url");
  const pwfile = join(dir, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  const data = join(dir, "data");
  const [initProgram, initArgs] = asPostgres(initdb, [
    `--pgdata=${data}`,
    "--username=postgres",
    `--pwfile=${pwfile}`,
    "--auth=scram-sha-256",
    "--encoding=UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  try {
    execFileSync(initProgram, initArgs, { stdio: "pipe", cwd: dir });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`initdb failed: ${stderr.trim() || (error as Error).message}`);
  }
  rmSync(pwfile);
  const port = await freePort();
  const [program, args] = asPostgres(postgres, [
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "shared_buffers=16MB",
    "-c",
    "max_connections=30",
  ]);
  const log: Buffer[] = [];
  const child: ChildProcess = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], cwd: dir });
  child.stdout!.on("data", (c: Buffer) => log.push(c));
  child.stderr!.on("data", (c: Buffer) => log.push(c));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill("SIGINT"); // fast shutdown: ends open sessions
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300 && !exited; i++) {
    try {
      const probe = await connect(port, password);
      await probe.end();
      return {
        host: "127.0.0.1",
        port,
        user: "postgres",
        password,
        socketDir: dir,
        async query<T>(sql: string, params: unknown[] = [], database = "postgres") {
          const client = await connect(port, password, database);
          try {
            return (await client.query(sql, params)).rows as T[];
          } finally {
            await client.end();
          }
        },
        stop,
      };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`PostgreSQL did not start on port ${port}: ${Buffer.concat(log).toString().slice(-1500)}`);
}
