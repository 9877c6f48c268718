import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envVars, loadConfig } from "../src/config.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";

const root = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}
const compose = parse(read("deploy/compose.yaml"), { merge: true }) as { services: Record<string, Service> };
const { api, worker, postgres, redis } = compose.services as Record<string, Service>;

/** Runs a command without a shell; resolves with its exit code. */
const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<number>((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (error) =>
      resolve(error ? Number((error as { code?: number }).code ?? 1) : 0),
    );
  });

/** Settings in an env file that are not commented out. */
const settingsIn = (text: string) =>
  text
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.slice(0, line.indexOf("=")));

/**
 * deploy/: the Compose file, the env file, the Dockerfile and the systemd unit. Images cannot be
 * pulled here, so `docker compose up` is not run: the files are parsed and checked, the settings
 * they pass are validated by Jarvis's own config loader, and the health check commands and the
 * systemd readiness script run for real against a real Jarvis server.
 */
describe("deploy files", { timeout: 120_000 }, () => {
  it("compose: api and worker roles of one image, pgvector Postgres, Redis with AOF, health-gated start-up", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["api", "postgres", "redis", "worker"]);
    expect(api!.command).toEqual(["serve", "--role", "api"]);
    expect(worker!.command).toEqual(["serve", "--role", "worker"]);
    for (const jarvis of [api!, worker!]) {
      expect(jarvis.build).toEqual({ context: "..", dockerfile: "deploy/Dockerfile" });
      expect(jarvis.env_file).toEqual(["jarvis.env"]);
      expect(jarvis.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
      });
      expect(jarvis.environment!.DATABASE_URL).toMatch(
        /^postgres:\/\/jarvis:\$\{POSTGRES_PASSWORD:\?.*\}@postgres:5432\/jarvis$/,
      );
      expect(jarvis.environment!.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?.*\}@redis:6379\/0$/);
      expect(jarvis.environment!.JARVIS_SECRET_KEY).toMatch(/^\$\{JARVIS_SECRET_KEY:\?/);
    }
    expect(api!.ports).toEqual(["8750:8750"]);
    expect(worker!.ports).toBeUndefined();
    expect(api!.healthcheck!.test.join(" ")).toContain("http://127.0.0.1:8750/readyz");
    expect(worker!.healthcheck!.test.join(" ")).toContain("http://127.0.0.1:8750/healthz");
    expect(postgres!.image).toMatch(/^pgvector\/pgvector:pg\d+$/);
    expect(postgres!.healthcheck!.test.join(" ")).toContain("pg_isready");
    expect(redis!.image).toMatch(/^redis:\d/);
    expect(redis!.command!.join(" ")).toContain("--appendonly yes");
    expect(redis!.command!.join(" ")).toContain("--requirepass ${REDIS_PASSWORD");
    expect(redis!.healthcheck!.test).toEqual(["CMD", "redis-cli", "ping"]);
  });

  it("the settings compose and the env file pass are Jarvis settings its config loader accepts", () => {
    const example = read("deploy/jarvis.env.example");
    const composeOnly = new Set(["POSTGRES_PASSWORD", "REDIS_PASSWORD", "DOCKER_GID"]);
    const settings = [...settingsIn(example), ...Object.keys(api!.environment!)];
    for (const name of settings) {
      if (!composeOnly.has(name)) expect(Object.keys(envVars), name).toContain(name);
    }
    // The api container's environment with the placeholders filled in.
    const env: Record<string, string> = { JARVIS_RATE_LIMIT: "600", JARVIS_RATE_LIMIT_WINDOW_SECONDS: "60" };
    for (const [name, value] of Object.entries(api!.environment!)) {
      env[name] = value.replace(/\$\{(\w+)[^}]*\}/g, (_, v: string) =>
        v === "JARVIS_SECRET_KEY" ? "ab".repeat(32) : "s3cret",
      );
    }
    const config = loadConfig(env, "/");
    expect(config.database.url?.reveal()).toBe("postgres://jarvis:s3cret@postgres:5432/jarvis");
    expect(config.redis.url?.reveal()).toBe("redis://:s3cret@redis:6379/0");
    expect(config.rateLimit).toEqual({ requests: 600, windowSeconds: 60 });
    expect(config.server.host).toBe("0.0.0.0");
    for (const name of settingsIn(read("deploy/systemd/jarvis.env.example"))) {
      expect(Object.keys(envVars), name).toContain(name);
    }
  });

  it("the Dockerfile runs `npm run jarvis -- serve` on Node 24 with the console built", () => {
    const dockerfile = read("deploy/Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:24-/m);
    expect(dockerfile).toContain('ENTRYPOINT ["npm", "run", "--silent", "jarvis", "--"]');
    expect(dockerfile).toContain('CMD ["serve"]');
    expect(dockerfile).toContain("RUN npm run build:ui");
    expect(read(".dockerignore")).toContain("deploy/jarvis.env");
  });

  it("systemd: one templated unit, the role as the instance, readiness waited for", () => {
    const unit = read("deploy/systemd/jarvis@.service");
    const value = (key: string) =>
      unit
        .split("\n")
        .filter((line) => line.startsWith(`${key}=`))
        .map((line) => line.slice(key.length + 1));
    expect(value("ExecStart")).toEqual(["/usr/bin/npm run --silent jarvis -- serve --role %i"]);
    expect(value("ExecStartPost")).toEqual(["/usr/bin/node /opt/jarvis/deploy/wait-ready.mjs"]);
    expect(value("EnvironmentFile")).toEqual(["/etc/jarvis/jarvis.env", "-/etc/jarvis/%i.env"]);
    expect(value("WantedBy")).toEqual(["multi-user.target"]);
    expect(existsSync(join(root, "deploy/wait-ready.mjs"))).toBe(true);
  });

  describe("against a real server", () => {
    let jarvis: Jarvis;
    let server: ServerType;
    let port: number;
    beforeAll(async () => {
      jarvis = await createTestJarvis();
      server = serve({ fetch: createApp(jarvis).fetch, port: 0, hostname: "127.0.0.1" });
      await new Promise((r) => server.once("listening", r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server?.close();
      await jarvis?.close();
    });

    it("the compose health checks pass against a ready server and fail against none", async () => {
      const dead = await freePort();
      for (const service of [api!, worker!]) {
        const [, node, flag, code] = service.healthcheck!.test as [string, string, string, string];
        expect([node, flag]).toEqual(["node", "-e"]);
        expect(await run(process.execPath, ["-e", code.replace(":8750/", `:${port}/`)])).toBe(0);
        expect(await run(process.execPath, ["-e", code.replace(":8750/", `:${dead}/`)])).toBe(1);
      }
    });

    it("wait-ready.mjs exits 0 once /readyz answers, and 1 after its timeout when nothing does", async () => {
      const script = join(root, "deploy/wait-ready.mjs");
      expect(await run(process.execPath, [script], { PORT: String(port) })).toBe(0);
      expect(
        await run(process.execPath, [script], {
          PORT: String(await freePort()),
          JARVIS_READY_TIMEOUT_SECONDS: "1",
        }),
      ).toBe(1);
    });
  });
});
