import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { runs } from "../src/db/schema.ts";
import { approvalIn, createChatClient, textOf } from "./helpers/chat-client.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { json } from "./helpers/http.ts";
import { freePort } from "./helpers/net.ts";
import { cliPath, spawnServer } from "./helpers/serve-child.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

const cli = cliPath;

/** Durable runs: a paused run survives the process, and the CLI drives the same loop. */
describe("agent runs across processes", { timeout: 240_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const name = `jt-restart-${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-restart-"));
  let sim: OpenAISim;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;

  const startedAt = async () => (await docker.getContainer(name).inspect()).State.StartedAt;

  async function startServer(): Promise<void> {
    server = (await spawnServer(env)).child;
  }

  const jarvis = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env, timeout: 90_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    await startTestContainer(docker, { name, runId: inject("testRunId") });
    sim = await startOpenAISim();
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      JARVIS_DATA_DIR: dataDir,
      DOCKER_HOST: `unix://${inject("dockerSocket")}`,
      PORT: String(await freePort()),
      JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`,
      JARVIS_MODEL_MAX_RETRIES: "0",
    };
  });
  afterAll(async () => {
    server?.kill("SIGKILL");
    await sim?.close();
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => {});
  });

  it("runs a chat from the CLI, pauses for approval with exit 3, and resumes when approved", async () => {
    sim.script({
      toolCalls: [{ name: "docker_restart_container", arguments: { container: name, timeout: 1 } }],
    });
    const asked = await jarvis("chat", `restart ${name}`);
    expect(asked.code, asked.stderr).toBe(3);
    expect(asked.stdout).toContain(
      `docker_restart_container ${JSON.stringify({ container: name, timeout: 1 })}`,
    );
    const id = /approval id: ([0-9a-f-]{36})/.exec(asked.stdout)?.[1];
    expect(id).toBeDefined();

    const before = await startedAt();
    sim.script({ text: "Restarted it." });
    const approved = await jarvis("approvals", "approve", id!);
    expect(approved.code, approved.stderr).toBe(0);
    expect(await startedAt()).not.toBe(before);
    const database = await openDatabase({ dataDir });
    try {
      const [run] = await database.db.select().from(runs);
      expect(run).toMatchObject({ status: "done", stopReason: "completed" });
    } finally {
      await database.close();
    }
  });

  it("keeps a pending approval across a server crash, and approving it resumes the conversation", async () => {
    await startServer();
    const base = `http://127.0.0.1:${env.PORT}`;
    const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
    const chat = createChatClient(
      (input, init) => fetch(String(input).replace("http://jarvis.test", base), init),
      token,
    );
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

    sim.script({
      toolCalls: [{ name: "docker_restart_container", arguments: { container: name, timeout: 1 } }],
    });
    const asked = await chat.say("crash-conv", `bounce ${name}`);
    const approval = approvalIn(asked)!;
    expect(approval.tool).toBe("docker_restart_container");

    server!.kill("SIGKILL");
    await new Promise((r) => server!.once("exit", r));
    await startServer();

    const still = await json(await fetch(`${base}/api/approvals/${approval.id}`, { headers }));
    expect(still.approval).toMatchObject({ status: "pending", conversationId: "crash-conv" });

    const before = await startedAt();
    sim.script((request) => ({
      text: JSON.stringify(request.messages).includes('\\"changed\\":true')
        ? "Bounced after the restart."
        : "?",
    }));
    const decided = await fetch(`${base}/api/approvals/${approval.id}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    let conversation: { runs: Array<{ status: string }>; messages: never[] } | undefined;
    for (let i = 0; i < 200; i++) {
      conversation = await json(await fetch(`${base}/api/conversations/crash-conv`, { headers }));
      if (conversation!.runs[0]?.status === "done") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(conversation!.runs).toHaveLength(1);
    expect(conversation!.runs[0]!.status).toBe("done");
    expect(textOf(conversation!.messages.at(-1))).toBe("Bounced after the restart.");
    expect(await startedAt()).not.toBe(before);
  });
});
