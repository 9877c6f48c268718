import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { createJarvis, type Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { json } from "./helpers/http.ts";
import { adminPrincipal, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";

const sim = join(import.meta.dirname, "sim", "mcp", "server.ts");
const dir = mkdtempSync(join(tmpdir(), "jarvis-mcp-mount-"));
const runsLog = join(dir, "runs.jsonl");
const runs = () =>
  readFileSync(runsLog, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { tool: string; args: unknown });

/** A stdio MCP server (test/sim/mcp) mounted as a toolset, through the real gate and audit. */
describe("mounting an MCP server", () => {
  let jarvis: Jarvis;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  const api = { source: "api", principal: operatorPrincipal } as const;

  beforeAll(async () => {
    writeFileSync(runsLog, "");
    const config: Config = testConfig({
      mcp: {
        servers: [
          {
            name: "sim",
            stdio: { command: process.execPath, args: [sim], env: { SIM_MCP_LOG: runsLog } },
            headers: {},
            enabled: true,
          },
          {
            name: "gone",
            stdio: { command: join(dir, "no-such-program"), args: [], env: {} },
            headers: {},
            enabled: true,
          },
          { name: "off", url: "http://127.0.0.1:1/mcp", headers: {}, enabled: false },
        ],
      },
    });
    database = await openDatabase({ dataDir: "memory://" });
    jarvis = await createJarvis(config, { log: silentLogger, database });
  });
  afterAll(async () => {
    await jarvis?.close();
    await database?.close();
  });

  it("registers the tools with the prefix and a risk from their annotations", () => {
    const names = jarvis.registry.list().map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "docker_list_containers",
        "sim_get_reading",
        "sim_wipe_disk",
        "sim_ping_device",
      ]),
    );
    expect(jarvis.registry.get("sim_get_reading")?.risk).toBe("read");
    expect(jarvis.registry.get("sim_wipe_disk")?.risk).toBe("destructive");
    expect(jarvis.registry.get("sim_ping_device")?.risk).toBe("destructive");
    expect(jarvis.registry.get("sim_get_reading")?.inputJsonSchema).toMatchObject({
      type: "object",
      properties: { sensor: { type: "string" } },
      required: ["sensor"],
    });
  });

  it("runs a read tool at once, audited, and refuses bad input before the server sees it", async () => {
    const result = await jarvis.runTool({ tool: "sim_get_reading", args: { sensor: "attic" } }, api);
    expect(result).toMatchObject({ status: "ok", target: "sim", result: { sensor: "attic", celsius: 21.5 } });
    const [row] = await jarvis.audit.list({ tool: "sim_get_reading" });
    expect(row).toMatchObject({ source: "api", outcome: "ok", target: "sim", risk: "read" });

    const before = runs().length;
    await expect(jarvis.runTool({ tool: "sim_get_reading", args: {} }, api)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      jarvis.runTool({ tool: "sim_get_reading", args: { sensor: "broken" } }, api),
    ).rejects.toMatchObject({
      code: "tool_failed",
      message: expect.stringContaining("offline"),
    });
    expect(runs().length).toBe(before + 1);
  });

  it("asks before an unannotated tool runs, and runs it once after approval", async () => {
    const before = runs().filter((r) => r.tool === "ping_device").length;
    const asked = await jarvis.runTool({ tool: "sim_ping_device", args: { device: "tv" } }, api);
    expect(asked.status).toBe("approval_required");
    expect(runs().filter((r) => r.tool === "ping_device").length).toBe(before);
    if (asked.status !== "approval_required") return;
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({ status: "ok", result: { text: "pong from tv" } });
    expect(runs().filter((r) => r.tool === "ping_device")).toEqual([
      { tool: "ping_device", args: { device: "tv" } },
    ]);

    const wipe = await jarvis.runTool({ tool: "sim_wipe_disk", args: { disk: "sda" } }, api);
    expect(wipe.status).toBe("approval_required");
    expect(runs().some((r) => r.tool === "wipe_disk")).toBe(false);
    const audit = await jarvis.audit.list({ tool: "sim_wipe_disk" });
    expect(audit[0]).toMatchObject({ decision: "ask", outcome: "approval_required", risk: "destructive" });
  });

  it("starts without a server it cannot reach and reports it in /healthz", async () => {
    const response = await createApp(jarvis).request("/healthz");
    const body = await json(response);
    expect(body.status).toBe("degraded");
    expect(body.mcp).toEqual([
      { name: "sim", ok: true, tools: 3 },
      { name: "gone", ok: false, tools: 0, error: expect.any(String) },
    ]);
  });
});
