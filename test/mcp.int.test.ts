import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { type Running, startServer } from "../src/server/serve.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { json } from "./helpers/http.ts";
import {
  adminPrincipal,
  createTestJarvis,
  operatorPrincipal,
  testConfig,
  viewerPrincipal,
} from "./helpers/jarvis.ts";
import { connectInProcess, createClient, type Person, structured, textOf } from "./helpers/mcp-client.ts";
import { freePort } from "./helpers/net.ts";

const root = join(import.meta.dirname, "..");
const socket = inject("dockerSocket");
const docker = new Docker({ socketPath: socket });
const prefix = `jt-mcp-${process.pid}-${Date.now().toString(36)}-`;
const names = {
  idle: `${prefix}idle`,
  accept: `${prefix}accept`,
  decline: `${prefix}decline`,
  later: `${prefix}later`,
};
const startedAt = async (name: string) => (await docker.getContainer(name).inspect()).State.StartedAt;

let jarvis: Jarvis;
const clients: Client[] = [];
const connect = async (
  ...args: Parameters<typeof connectInProcess> extends [unknown, ...infer R] ? R : never
) => {
  const client = await connectInProcess(jarvis, ...args);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  await Promise.all(
    Object.values(names).map((name) => startTestContainer(docker, { name, runId: inject("testRunId") })),
  );
  jarvis = await createTestJarvis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await jarvis?.close();
  await Promise.all(
    Object.values(names).map((n) =>
      docker
        .getContainer(n)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
});

describe("the MCP server in-process (SDK client, in-memory transport)", () => {
  it("lists every registry tool with annotations derived from its risk", async () => {
    const client = await connect(operatorPrincipal);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      jarvis.registry
        .list()
        .map((t) => t.name)
        .sort(),
    );
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("docker_list_containers")).toMatchObject({
      title: "List containers",
      inputSchema: { type: "object", properties: { host: { type: "string" } } },
      annotations: { readOnlyHint: true, openWorldHint: false },
    });
    expect(byName.get("docker_restart_container")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    expect(byName.get("docker_start_container")?.annotations).toMatchObject({ idempotentHint: true });
    expect(byName.get("docker_remove_container")?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
  });

  it("runs read tools against the real engine, audited with source mcp", async () => {
    const client = await connect(operatorPrincipal);
    const listed = await client.callTool({ name: "docker_list_containers", arguments: {} });
    expect(listed.isError).toBeFalsy();
    const names_ = structured(listed).containers.map((c: { name: string }) => c.name);
    expect(names_).toContain(names.idle);
    expect(JSON.parse(textOf(listed)).containers.length).toBe(structured(listed).containers.length);

    const inspected = await client.callTool({
      name: "docker_inspect_container",
      arguments: { container: names.idle },
    });
    expect(structured(inspected)).toMatchObject({ name: names.idle, state: { status: "running" } });

    const rows = await jarvis.audit.list({ tool: "docker_inspect_container" });
    expect(rows[0]).toMatchObject({ source: "mcp", principal: operatorPrincipal.id, outcome: "ok" });
  });

  it("returns tool errors as isError results and the session goes on", async () => {
    const client = await connect(operatorPrincipal);
    const missing = await client.callTool({
      name: "docker_inspect_container",
      arguments: { container: `${prefix}nope` },
    });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/not_found/);
    const bad = await client.callTool({ name: "docker_list_containers", arguments: { all: "yes" } });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/invalid_input.*all/);
    const unknown = await client.callTool({ name: "docker_fly_to_moon", arguments: {} });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/unknown_tool/);
    const still = await client.callTool({ name: "docker_list_hosts", arguments: {} });
    expect(still.isError).toBeFalsy();
  });

  it("asks an elicitation-capable client; accepting runs the call once, approved by the session's principal", async () => {
    const person: Person = { asked: [], answer: () => ({ action: "accept", content: { approve: true } }) };
    const client = await connect(operatorPrincipal, person);
    const before = await startedAt(names.accept);
    const result = await client.callTool({
      name: "docker_restart_container",
      arguments: { container: names.accept, timeout: 1 },
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(structured(result)).toMatchObject({ container: names.accept, changed: true, state: "running" });
    expect(await startedAt(names.accept)).not.toBe(before);
    expect(person.asked).toHaveLength(1);
    expect(person.asked[0]!.message).toContain("docker_restart_container");
    expect(person.asked[0]!.message).toContain(`local/${names.accept}`);

    const rows = await jarvis.audit.list({ tool: "docker_restart_container" });
    const ran = rows.filter((r) => r.outcome === "ok" && r.target === `local/${names.accept}`);
    expect(ran).toHaveLength(1);
    const approval = await jarvis.approvals.get(ran[0]!.approvalId!);
    expect(approval).toMatchObject({ status: "approved", decidedBy: operatorPrincipal.id, source: "mcp" });
    expect(approval?.usedAt).not.toBeNull();
  });

  it("declining through elicitation changes nothing", async () => {
    const person: Person = { asked: [], answer: () => ({ action: "decline" }) };
    const client = await connect(operatorPrincipal, person);
    const before = await startedAt(names.decline);
    const result = await client.callTool({
      name: "docker_restart_container",
      arguments: { container: names.decline, timeout: 1 },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/declined.*Nothing changed/);
    expect(structured(result)).toMatchObject({ status: "declined" });
    expect(await startedAt(names.decline)).toBe(before);
    const approval = await jarvis.approvals.get(structured(result).approval.id);
    expect(approval).toMatchObject({ status: "denied", usedAt: null });
    const rows = await jarvis.audit.list({ tool: "docker_restart_container" });
    expect(rows.some((r) => r.outcome === "ok" && r.target === `local/${names.decline}`)).toBe(false);
  });

  it("gives a client without elicitation the approval id; after approval the identical call runs once", async () => {
    const client = await connect(operatorPrincipal);
    const before = await startedAt(names.later);
    const args = { name: "docker_restart_container", arguments: { container: names.later, timeout: 1 } };
    const first = await client.callTool(args);
    expect(first.isError).toBeFalsy();
    const { approval } = structured(first);
    expect(textOf(first)).toContain(approval.id);
    expect(textOf(first)).toMatch(/approvals approve/);
    // Asking again before anyone decided shows the same request, and runs nothing.
    expect(structured(await client.callTool(args)).approval.id).toBe(approval.id);
    expect(await startedAt(names.later)).toBe(before);

    // Approving (as the console or CLI does) does not run an MCP request by itself ...
    const decided = await jarvis.decideApproval(approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toBeUndefined();
    expect(await startedAt(names.later)).toBe(before);
    // ... the client's identical call does, once.
    const second = await client.callTool(args);
    expect(structured(second)).toMatchObject({ container: names.later, changed: true });
    const after = await startedAt(names.later);
    expect(after).not.toBe(before);
    const third = await client.callTool(args);
    expect(structured(third)).toMatchObject({ status: "approval_required" });
    expect(structured(third).approval.id).not.toBe(approval.id);
    expect(await startedAt(names.later)).toBe(after);
  });

  it("never lets an argument approve: extra arguments are refused by the tool's schema", async () => {
    const client = await connect(operatorPrincipal);
    const before = await startedAt(names.idle);
    const result = await client.callTool({
      name: "docker_restart_container",
      arguments: {
        container: names.idle,
        approvalId: "00000000-0000-0000-0000-000000000000",
        approved: true,
      },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/invalid_input/);
    expect(await startedAt(names.idle)).toBe(before);
  });

  it("shows a viewer only read tools and refuses the others", async () => {
    const client = await connect(viewerPrincipal);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain("docker_restart_container");
    const refused = await client.callTool({
      name: "docker_restart_container",
      arguments: { container: names.idle },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/viewer/);
  });

  it("offers pending approvals as a resource and a diagnose_container prompt", async () => {
    const client = await connect(operatorPrincipal);
    await client.callTool({ name: "docker_stop_container", arguments: { container: names.idle } });
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("jarvis://approvals/pending");
    const read = await client.readResource({ uri: "jarvis://approvals/pending" });
    const pending = JSON.parse((read.contents[0] as { text: string }).text).approvals;
    expect(
      pending.some(
        (a: { tool: string; target: string }) =>
          a.tool === "docker_stop_container" && a.target === `local/${names.idle}`,
      ),
    ).toBe(true);

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("diagnose_container");
    const prompt = await client.getPrompt({ name: "diagnose_container", arguments: { container: "plex" } });
    expect((prompt.messages[0]!.content as { text: string }).text).toMatch(/docker_inspect_container.*plex/);
    await expect(client.getPrompt({ name: "diagnose_container", arguments: {} })).rejects.toThrow(
      /container/,
    );
  });

  it("offers recent incidents and memories as resources, and each runbook as a prompt", async () => {
    const remembered = await jarvis.memory.remember({ text: `the mcp resource test ${process.pid} fact` });
    const { incident } = await jarvis.incidents
      .ingest([
        {
          source: "webhook",
          fingerprint: `mcp-resource-${process.pid}`,
          status: "firing",
          labels: { alertname: "McpResourceTest" },
          annotations: {},
          startsAt: new Date(),
        },
      ])
      .then((out) => out[0]!);
    const client = await connect(operatorPrincipal);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(["jarvis://incidents/recent", "jarvis://memories"]),
    );
    const read = async (uri: string) =>
      JSON.parse(((await client.readResource({ uri })).contents[0] as { text: string }).text);
    const incidents = await read("jarvis://incidents/recent");
    expect(incidents.recent.map((i: { id: string }) => i.id)).toContain(incident);
    const { memories } = await read("jarvis://memories");
    expect(memories.map((m: { id: string }) => m.id)).toContain(remembered.memory.id);

    const { prompts } = await client.listPrompts();
    const runbook = prompts.find((p) => p.name === "runbook_container_unhealthy");
    expect(runbook?.arguments?.map((a) => a.name)).toEqual(expect.arrayContaining(["container", "host"]));
    const rendered = await client.getPrompt({
      name: "runbook_container_unhealthy",
      arguments: { container: "plex", host: "nas" },
    });
    const text = (rendered.messages[0]!.content as { text: string }).text;
    expect(text).toContain('docker_inspect_container {"container":"plex","host":"nas"}');
    expect(text).toMatch(
      /docker_restart_container .*plex.* when inspect\.health\.status is unhealthy or starting/,
    );
  });
});

describe("the official MCP Inspector CLI against `jarvis mcp` on stdio", () => {
  const inspector = join(
    root,
    "node_modules",
    "@modelcontextprotocol",
    "inspector",
    "cli",
    "build",
    "cli.js",
  );
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-mcp-stdio-"));
  // Everything the child needs is given explicitly: the test engine's socket and a fresh data dir.
  const childEnv: Record<string, string> = {
    JARVIS_DATA_DIR: dataDir,
    DOCKER_HOST: `unix://${socket}`,
    JARVIS_LOG_LEVEL: "warn",
  };
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const envFlags = Object.entries(childEnv).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
      execFile(
        process.execPath,
        [
          inspector,
          "--cli",
          ...envFlags,
          process.execPath,
          join(root, "src", "cli", "main.ts"),
          "mcp",
          ...args,
        ],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...childEnv }, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it("lists the tools with annotations", async () => {
    const out = await run("--method", "tools/list");
    expect(out.code, out.stderr).toBe(0);
    const { tools } = JSON.parse(out.stdout);
    const list = tools.find((t: { name: string }) => t.name === "docker_list_containers");
    expect(list.annotations).toMatchObject({ readOnlyHint: true });
  });

  it("calls docker_list_containers on the engine whose socket it was given", async () => {
    const out = await run("--method", "tools/call", "--tool-name", "docker_list_containers");
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.errors).toEqual([]);
    expect(result.structuredContent.containers.map((c: { name: string }) => c.name)).toContain(names.idle);
    const hosts = JSON.parse(
      (await run("--method", "tools/call", "--tool-name", "docker_list_hosts")).stdout,
    );
    expect(hosts.structuredContent.hosts).toEqual([
      expect.objectContaining({ name: "local", url: `unix://${socket}`, reachable: true }),
    ]);
  });

  it("relays to the server's /mcp when a server holds the data directory", async () => {
    const port = await freePort();
    const server = await startServer(
      testConfig({ dataDir, server: { ...testConfig().server, port } }),
      silentLogger,
    );
    try {
      childEnv.PORT = String(port);
      const out = await run("--method", "tools/call", "--tool-name", "docker_list_containers");
      expect(out.code, out.stderr).toBe(0);
      const result = JSON.parse(out.stdout);
      expect(result.structuredContent.containers.map((c: { name: string }) => c.name)).toContain(names.idle);
      const token = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
      const audit = await fetch(new URL("/api/audit?tool=docker_list_containers&limit=1", server.url), {
        headers: { authorization: `Bearer ${token}` },
      });
      // The server ran it (the child could not have opened the locked database), as the admin token.
      expect((await json(audit)).entries[0]).toMatchObject({
        source: "mcp",
        principal: "token:admin",
        outcome: "ok",
      });
    } finally {
      delete childEnv.PORT;
      await server.stop();
    }
  });
});

describe("the MCP server over Streamable HTTP against the running server", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jarvis-mcp-http-"));
  let running: Running;
  let url: string;
  const tokens = { admin: "", viewer: "" };
  const http: Client[] = [];

  const connectHttp = async (token: string, person?: Person) => {
    const client = createClient(person);
    const transport = new StreamableHTTPClientTransport(new URL("/mcp", url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    http.push(client);
    return { client, transport };
  };
  const initialize = (headers: Record<string, string>) =>
    fetch(new URL("/mcp", url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    });

  beforeAll(async () => {
    const config = testConfig({ dataDir, server: { ...testConfig().server, port: await freePort() } });
    running = await startServer(config, silentLogger);
    url = running.url;
    tokens.admin = readFileSync(join(dataDir, "admin-token"), "utf8").trim();
    const created = await fetch(new URL("/api/tokens", url), {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "ide-viewer", role: "viewer" }),
    });
    tokens.viewer = (await json(created)).token;
  });
  afterAll(async () => {
    await Promise.all(http.map((c) => c.close().catch(() => {})));
    await running?.stop();
  });

  it("lists tools with annotations and runs a read tool on the real engine", async () => {
    const { client } = await connectHttp(tokens.admin);
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "docker_list_containers")?.annotations?.readOnlyHint).toBe(true);
    const listed = await client.callTool({ name: "docker_list_containers", arguments: {} });
    expect(structured(listed).containers.map((c: { name: string }) => c.name)).toContain(names.idle);
  });

  it("elicits over HTTP: accept runs once, decline changes nothing", async () => {
    const yes: Person = { asked: [], answer: () => ({ action: "accept", content: { approve: true } }) };
    const { client } = await connectHttp(tokens.admin, yes);
    const before = await startedAt(names.accept);
    const done = await client.callTool({
      name: "docker_restart_container",
      arguments: { container: names.accept, timeout: 1 },
    });
    expect(structured(done), textOf(done)).toMatchObject({ container: names.accept, changed: true });
    expect(yes.asked).toHaveLength(1);
    const after = await startedAt(names.accept);
    expect(after).not.toBe(before);

    const no: Person = { asked: [], answer: () => ({ action: "decline" }) };
    const other = await connectHttp(tokens.admin, no);
    const declined = await other.client.callTool({
      name: "docker_restart_container",
      arguments: { container: names.accept, timeout: 1 },
    });
    expect(structured(declined)).toMatchObject({ status: "declined" });
    expect(await startedAt(names.accept)).toBe(after);
  });

  it("without elicitation: approval id, approve through the API, the identical call runs once", async () => {
    const { client } = await connectHttp(tokens.admin);
    const args = { name: "docker_restart_container", arguments: { container: names.later, timeout: 1 } };
    const before = await startedAt(names.later);
    const { approval } = structured(await client.callTool(args));
    const decided = await fetch(new URL(`/api/approvals/${approval.id}`, url), {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    expect((await json(decided)).approval).toMatchObject({ status: "approved", usedAt: null });
    expect(await startedAt(names.later)).toBe(before);
    expect(structured(await client.callTool(args))).toMatchObject({ container: names.later, changed: true });
    expect(await startedAt(names.later)).not.toBe(before);
  });

  it("gives a viewer token only read tools", async () => {
    const { client } = await connectHttp(tokens.viewer);
    const { tools } = await client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).toContain("docker_list_containers");
    const refused = await client.callTool({
      name: "docker_stop_container",
      arguments: { container: names.idle },
    });
    expect(refused.isError).toBe(true);
  });

  it("refuses a missing token (401), a foreign Origin or Host (403) and another token's session (404)", async () => {
    const missing = await initialize({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/Bearer/);
    expect((await initialize({ authorization: "Bearer jv_not-a-token" })).status).toBe(401);

    const foreign = await initialize({
      authorization: `Bearer ${tokens.admin}`,
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    expect((await json(foreign)).error.message).toMatch(/Origin/);
    const ok = await initialize({ authorization: `Bearer ${tokens.admin}`, origin: url });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();

    const port = new URL(url).port;
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/mcp",
          method: "POST",
          headers: {
            host: `evil.example:${port}`,
            authorization: `Bearer ${tokens.admin}`,
            "content-type": "application/json",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    expect(rebound).toBe(403);

    const { transport } = await connectHttp(tokens.admin);
    const stolen = await fetch(new URL("/mcp", url), {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.viewer}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-session-id": transport.sessionId!,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }),
    });
    expect(stolen.status).toBe(404);
  });
});
