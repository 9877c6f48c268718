import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { audit } from "../src/db/schema.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { cliPath, spawnServer } from "./helpers/serve-child.ts";

const node = process.execPath;
const cli = cliPath;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Each case starts the CLI a few times; on a loaded two-core runner one start can take 10 s.
describe("the jarvis CLI", { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-cli-"));
  let env: NodeJS.ProcessEnv;

  const jarvis = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(node, [cli, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const container = `jt-cli-${process.pid}`;
  const startedAt = async () => (await docker.getContainer(container).inspect()).State.StartedAt;

  afterAll(async () => {
    await docker
      .getContainer(container)
      .remove({ force: true })
      .catch(() => {});
  });

  beforeAll(async () => {
    await startTestContainer(docker, { name: container, runId: inject("testRunId") });
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      PORT: String(await freePort()),
    };
  });

  it("prints usage with exit code 2 for unknown commands", async () => {
    const run = await jarvis("frobnicate");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Usage: jarvis/);
  });

  it("exits 1 with one line per bad setting", async () => {
    const saved = env;
    env = { ...env, PORT: "eighty", JARVIS_MODEL: "gpt" };
    const run = await jarvis("tools", "list");
    env = saved;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/- PORT: /);
    expect(run.stderr).toMatch(/- JARVIS_MODEL: /);
  });

  it("lists tools", async () => {
    const run = await jarvis("tools", "list");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/docker_list_containers\s+read/);
    expect(run.stdout).toMatch(/docker_remove_container\s+destructive/);
    const json = JSON.parse((await jarvis("tools", "list", "--json")).stdout);
    expect(json.map((t: { name: string }) => t.name)).toContain("docker_restart_container");
  });

  it("calls docker_list_containers through the gate and writes an audit row", async () => {
    const run = await jarvis("tools", "call", "docker_list_containers", "{}", "--json");
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.status).toBe("ok");
    expect(Array.isArray(out.result.containers)).toBe(true);
    const database = await openDatabase({ dataDir });
    try {
      const rows = await database.db.select().from(audit);
      expect(
        rows.some((r) => r.tool === "docker_list_containers" && r.outcome === "ok" && r.source === "cli"),
      ).toBe(true);
    } finally {
      await database.close();
    }
  });

  it("exits 3 with the approval id when a call needs approval; approving runs it", async () => {
    const before = await startedAt();
    const asked = await jarvis("tools", "call", "docker_restart_container", JSON.stringify({ container }));
    expect(asked.code, asked.stderr).toBe(3);
    const id = /approval id: ([0-9a-f-]{36})/.exec(asked.stdout)?.[1];
    expect(id).toBeDefined();
    expect(await startedAt()).toBe(before);
    const listed = await jarvis("approvals", "list", "--status", "pending");
    expect(listed.stdout).toContain(id);
    const approved = await jarvis("approvals", "approve", id!);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(/approved/);
    expect(await startedAt()).not.toBe(before);
    const again = await jarvis("approvals", "approve", id!);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not pending/);
  });

  it("names a missing container, and rejects arguments that are not JSON with exit 2", async () => {
    const run = await jarvis(
      "tools",
      "call",
      "docker_inspect_container",
      '{"container":"jarvis-cli-nonexistent"}',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/jarvis-cli-nonexistent/);
    expect((await jarvis("tools", "call", "docker_list_containers", "{oops")).code).toBe(2);
  });

  it("keeps an interactive chat session on the local engine", async () => {
    const child = spawn(node, [cli, "chat"], {
      env: { ...env, JARVIS_MODEL: "local" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
    });
    child.stdin!.write(`how is ${container} doing?\n`);
    for (let i = 0; i < 300 && !out.includes(`${container} is running`); i++)
      await new Promise((r) => setTimeout(r, 100));
    child.stdin!.write("show me its logs\n\n");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain(`→ docker_inspect_container {"container":"${container}"}`);
    expect(out).toContain(`${container} is running`);
    expect(out).toContain(`→ docker_container_logs {"container":"${container}"`);
  });

  describe("with the server running", () => {
    let server: ChildProcess;
    let base: string;

    beforeAll(async () => {
      const started = await spawnServer(env);
      server = started.child;
      base = `http://127.0.0.1:${env.PORT}`;
      const log = started.log();
      expect(log).not.toMatch(/jv_/);
    });
    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await exited;
      }
    });

    it("wrote the first-run admin token with mode 0600 and answers /healthz", async () => {
      const file = join(dataDir, "admin-token");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toMatch(/^jv_/);
      const health = await json(await fetch(`${base}/healthz`));
      expect(health).toMatchObject({ database: { ok: true } });
      expect((await fetch(`${base}/api/tools`)).status).toBe(401);
    });

    it("goes through the running server's API instead of opening the database", async () => {
      const run = await jarvis("tools", "call", "docker_list_hosts", "{}", "--json");
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).result).toBeDefined();
      const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
      const entries = (
        await json(
          await fetch(`${base}/api/audit?tool=docker_list_hosts`, {
            headers: { authorization: `Bearer ${token}` },
          }),
        )
      ).entries;
      expect(entries[0]).toMatchObject({ source: "api", outcome: "ok" });
    });

    it("pauses and approves through the server", async () => {
      const before = await startedAt();
      const asked = await jarvis(
        "tools",
        "call",
        "docker_restart_container",
        JSON.stringify({ container }),
        "--json",
      );
      expect(asked.code, asked.stderr).toBe(3);
      const { approval } = JSON.parse(asked.stdout);
      const denied = await jarvis("approvals", "deny", approval.id, "--reason", "not now");
      expect(denied.code).toBe(0);
      expect(await startedAt()).toBe(before);
      const second = JSON.parse(
        (await jarvis("tools", "call", "docker_restart_container", JSON.stringify({ container }), "--json"))
          .stdout,
      );
      const approved = await jarvis("approvals", "approve", second.approval.id);
      expect(approved.code, approved.stderr).toBe(0);
      expect(await startedAt()).not.toBe(before);
    });

    it("creates a token and lists approvals remotely", async () => {
      const created = await jarvis("token", "create", "--role", "viewer", "--name", "dash");
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      const whoami = await json(
        await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(whoami).toMatchObject({ name: "dash", role: "viewer" });
      const list = await jarvis("approvals", "list");
      expect(list.code).toBe(0);
    });
  });
});
