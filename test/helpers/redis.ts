import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary } from "./binaries.ts";
import { freePort } from "./net.ts";

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, or SIGKILL with `hard`), keeping its data directory. */
  kill(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port with the same data (append-only file), as after a crash. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.on("error", () => resolve(false));
  });

/**
 * A real redis-server on loopback, on a free port, with its data in a temp directory (append-only
 * file on, so a restart keeps what was written, like a production Redis with AOF).
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = requireBinary("redis-server", "redis-server");
  const dir = mkdtempSync(join(tmpdir(), "jarvis-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();

  const launch = async () => {
    const started = spawn(
      binary,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    let gone = false;
    exited = new Promise((resolve) => started.on("exit", resolve));
    started.on("exit", () => {
      gone = true;
    });
    child = started;
    for (let i = 0; i < 100 && !gone; i++) {
      if (await answers(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    started.kill("SIGKILL");
    throw new Error(`redis-server did not start on port ${port}`);
  };

  const kill = async ({ hard = false } = {}) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(hard ? "SIGKILL" : "SIGTERM");
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
