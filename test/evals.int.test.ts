import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCases } from "../evals/cases.ts";
import { standInTools } from "../evals/catalog/index.ts";
import { summarize } from "../evals/report.ts";
import { loadWorlds, runEvals } from "../evals/runner.ts";
import { createWorldTools, loadWorld, parseWorld } from "../evals/world.ts";
import { JarvisError } from "../src/errors.ts";
import { riskOf, type Tool } from "../src/tools/define-tool.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "jarvis-evals-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const restartCase = `
- id: restart-plex
  tags: [docker, write]
  world: homelab
  turns:
    - user: "restart plex"
      expect:
        calls:
          - tool: docker_restart_container
            args: { container: plex }
        not_calls: [docker_remove_container]
        approval: asked
        reply_matches: "(?i)PLEX"
`;

const diskCase = `
- id: media-disk
  tags: [storage, read]
  turns:
    - user: "how full is the media disk?"
      expect:
        calls: [{ tool: storage_disk_usage }]
        approval: none
        reply_matches: "91"
`;

function toolsByName(tools: Tool[]): Map<string, Tool> {
  return new Map(tools.map((tool) => [tool.name, tool]));
}

/** Runs a world tool as the gate would: validated input, then `run`. */
async function call(tools: Map<string, Tool>, name: string, args: unknown): Promise<unknown> {
  const tool = tools.get(name)!;
  return tool.run(tool.input.parse(args), {} as never);
}

describe("eval case files", () => {
  it("loads a valid file, with (?i) as the i flag and the homelab world as default", () => {
    const cases = loadCases([file("valid.yaml", restartCase + diskCase)]);
    expect(cases.map((c) => c.id)).toEqual(["restart-plex", "media-disk"]);
    const expect0 = cases[0]!.turns[0]!.expect!;
    expect(expect0.reply_matches?.flags).toBe("i");
    expect(expect0.reply_matches?.test("Plex needs approval")).toBe(true);
    expect(expect0.calls).toEqual([{ tool: "docker_restart_container", args: { container: "plex" } }]);
    expect(cases[1]!.world).toBe("homelab");
  });

  it("names the file, the case and the field of a malformed case", () => {
    const bad = file("bad.yaml", restartCase.replace("approval: asked", "approval: maybe"));
    expect(() => loadCases([bad])).toThrow(/bad\.yaml: case "restart-plex": turns\[0\]\.expect\.approval/);
    const typo = file("typo.yaml", restartCase.replace("not_calls:", "not_call:"));
    expect(() => loadCases([typo])).toThrow(
      /typo\.yaml: case "restart-plex": turns\[0\]\.expect: .*not_call/,
    );
    const noId = file("no-id.yaml", "- tags: [x]\n  turns: [{ user: hi }]\n");
    expect(() => loadCases([noId])).toThrow(/no-id\.yaml: case #1: id:/);
    const regex = file("regex.yaml", restartCase.replace('"(?i)PLEX"', '"(unclosed"'));
    expect(() => loadCases([regex])).toThrow(
      /regex\.yaml: case "restart-plex": turns\[0\]\.expect\.reply_matches: not a valid regular expression/,
    );
  });

  it("rejects duplicate ids across files", () => {
    const sub = mkdtempSync(join(dir, "dup-"));
    writeFileSync(join(sub, "a.yaml"), restartCase);
    writeFileSync(join(sub, "b.yaml"), restartCase);
    expect(() => loadCases([sub])).toThrow(
      /b\.yaml: case "restart-plex": id: duplicate id, already used in .*a\.yaml/,
    );
  });

  it("a missing world is the case's error", () => {
    const cases = loadCases([file("no-world.yaml", restartCase.replace("world: homelab", "world: mars"))]);
    expect(() => loadWorlds(cases)).toThrow(/no-world\.yaml: case "restart-plex": world: No world "mars"/);
  });

  it("the shipped suite loads, and every world it names exists", () => {
    const cases = loadCases([join(root, "evals", "cases")]);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(loadWorlds(cases).size).toBeGreaterThanOrEqual(1);
  });
});

describe("world tools", () => {
  const world = loadWorld("homelab");

  it("answers reads from the world, first matching response wins, placeholders expanded", async () => {
    const { tools, calls } = createWorldTools(world);
    const byName = toolsByName(tools);
    const media = (await call(byName, "docker_list_containers", { stack: "media" })) as {
      containers: unknown[];
    };
    expect(media.containers).toHaveLength(3);
    const domains = (await call(byName, "net_list_domains", {})) as {
      domains: Array<{ tls: { expires: string; daysToExpiry: number } }>;
    };
    const expires = new Date(domains.domains[0]!.tls.expires).getTime();
    expect(Math.round((expires - Date.now()) / 86_400_000)).toBeGreaterThanOrEqual(8);
    expect(calls.map((c) => c.tool)).toEqual(["docker_list_containers", "net_list_domains"]);
    expect(calls[0]).toMatchObject({ args: { stack: "media" }, outcome: "result" });
  });

  it("canned errors are typed errors; targets come from the world", async () => {
    const { tools } = createWorldTools(world);
    const byName = toolsByName(tools);
    await expect(call(byName, "docker_inspect_container", { container: "jellyfin" })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining('"jellyfin"'),
    });
    const restart = byName.get("docker_restart_container")!;
    expect(await restart.target?.({ container: "minio" }, {} as never)).toBe("nas-box/minio");
    expect(await restart.target?.({ container: "plex" }, {} as never)).toBe("local/plex");
  });

  it("write calls answer ok without touching anything, and are recorded", async () => {
    const { tools, calls } = createWorldTools(world);
    const result = await call(toolsByName(tools), "nas_unmount", { mountpoint: "/mnt/nas" });
    expect(result).toEqual({ ok: true });
    expect(calls).toEqual([{ tool: "nas_unmount", args: { mountpoint: "/mnt/nas" }, outcome: "result" }]);
  });

  it("a read the world has no data for is an error naming the tool and arguments", async () => {
    const empty = parseWorld("empty", join(dir, "empty.yaml"), "inventory: { hosts: [local] }\n");
    const { tools, calls } = createWorldTools(empty);
    const failed = call(toolsByName(tools), "storage_dir_size", { path: "/srv" });
    await expect(failed).rejects.toBeInstanceOf(JarvisError);
    await expect(failed).rejects.toThrow(
      /"empty" has no canned answer for storage_dir_size \{"path":"\/srv"\}/,
    );
    expect(calls[0]?.outcome).toBe("missing");
  });

  it("rejects a world that answers a tool outside the catalog, or a malformed response", () => {
    expect(() => parseWorld("x", "x.yaml", "tools: { docker_explode: { result: 1 } }")).toThrow(
      /tools\.docker_explode: not a catalog tool/,
    );
    expect(() =>
      parseWorld("x", "x.yaml", "tools: { db_list: { result: 1, error: { code: x, message: y } } }"),
    ).toThrow(/tools\.db_list/);
  });

  it("has canned answers for every read tool of the catalog", () => {
    const reads = createWorldTools(world).tools.filter((tool) => tool.risk === "read");
    expect(reads.filter((tool) => !world.tools[tool.name]).map((t) => t.name)).toEqual([]);
  });

  it("stand-ins carry the catalog's risks: unlocking or opening the garage is destructive", () => {
    const ha = toolsByName([...standInTools]).get("ha_call_service")!;
    const risk = (input: object) => riskOf(ha, ha.input.parse(input));
    expect(risk({ domain: "light", service: "turn_off", entity_id: "light.kitchen" })).toBe("write");
    expect(risk({ domain: "lock", service: "unlock", entity_id: "lock.front_door" })).toBe("destructive");
    expect(risk({ domain: "alarm_control_panel", service: "alarm_disarm" })).toBe("destructive");
    expect(risk({ domain: "cover", service: "open_cover", entity_id: "cover.garage_door" })).toBe(
      "destructive",
    );
    expect(risk({ domain: "cover", service: "close_cover", entity_id: "cover.garage_door" })).toBe("write");
    expect(risk({ domain: "homeassistant", service: "toggle", entity_id: "lock.front_door" })).toBe(
      "destructive",
    );
  });
});

describe("the eval runner against an LLM (the OpenAI-compatible simulator)", () => {
  let sim: OpenAISim;
  beforeAll(async () => {
    sim = await startOpenAISim();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("runs cases through the real loop and gate, and judges calls, approvals and replies", async () => {
    sim.script(
      // restart-plex: the write is asked, so the run pauses after the call
      { toolCalls: [{ name: "docker_restart_container", arguments: { container: "plex" } }] },
      // media-disk: a read runs, then a wrong answer
      { toolCalls: [{ name: "storage_disk_usage", arguments: {} }] },
      (request) => {
        const result = String(request.messages.at(-1)?.content ?? "");
        return { text: result.includes("/srv/media") ? "The media disk is half empty." : "No data." };
      },
    );
    const cases = loadCases([file("e2e.yaml", restartCase + diskCase)]);
    const run = await runEvals({ cases, model: `openai-compatible:${sim.baseURL}#sim-model`, env: {} });
    expect(sim.remaining()).toBe(0);
    const [restart, disk] = run.results;
    expect(restart).toMatchObject({ id: "restart-plex", passed: true, failures: [] });
    expect(restart!.turns[0]).toMatchObject({
      approvalAsked: true,
      calls: [{ tool: "docker_restart_container", args: { container: "plex" } }],
      executed: [],
    });
    expect(disk).toMatchObject({ id: "media-disk", passed: false });
    expect(disk!.turns[0]!.executed).toEqual([{ tool: "storage_disk_usage", args: {} }]);

    const summary = summarize(run);
    expect(Object.keys(summary).sort()).toEqual(
      [
        "model",
        "cases",
        "passed",
        "failed",
        "pass_rate",
        "pass_hat_k",
        "by_tag",
        "failures",
        "p50_ms",
        "p95_ms",
      ].sort(),
    );
    expect(summary).toMatchObject({
      model: `openai-compatible:${sim.baseURL}#sim-model`,
      cases: 2,
      passed: 1,
      failed: 1,
      pass_rate: 0.5,
      pass_hat_k: 0.5,
      by_tag: {
        docker: { cases: 1, passed: 1, pass_rate: 1 },
        storage: { cases: 1, passed: 0, pass_rate: 0 },
      },
      failures: [
        {
          id: "media-disk",
          turn: 1,
          reason: expect.stringMatching(/reply does not match \/91\/: "The media disk is half empty\."/),
        },
      ],
    });
    expect(summary.p95_ms).toBeGreaterThanOrEqual(summary.p50_ms);
    expect(summary.p50_ms).toBeGreaterThan(0);
  });
});

describe("npm run eval", () => {
  const run = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(root, "evals", "main.ts"), ...args],
        { timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  it("exits 2 on a malformed case file, naming the file, the case and the field", async () => {
    const bad = file("cli-bad.yaml", restartCase.replace("user:", "usr:"));
    const result = await run("--cases", bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cli-bad\.yaml: case "restart-plex": turns\[0\]/);
  });

  it("exits 0 when cases fail and writes the JSON summary", async () => {
    const sim = await startOpenAISim();
    try {
      sim.script({ text: "Sure, plex." });
      const json = join(dir, "summary.json");
      const cases = file("cli-run.yaml", restartCase);
      const result = await run(
        "--cases",
        cases,
        "--model",
        `openai-compatible:${sim.baseURL}#sim-model`,
        "--json",
        json,
        "--quiet",
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/docker\s+1\s+0\s+0\.0 %/);
      const summary = JSON.parse(readFileSync(json, "utf8"));
      expect(summary).toMatchObject({
        cases: 1,
        passed: 0,
        failed: 1,
        failures: [{ id: "restart-plex", turn: 1 }],
      });
    } finally {
      await sim.close();
    }
  });
});
