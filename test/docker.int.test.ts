import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import type { LogsResult } from "../src/tools/docker/container-logs.ts";
import type { ContainerStatsRow, StatsOfAll } from "../src/tools/docker/container-stats.ts";
import type { ContainerSummary } from "../src/tools/docker/format.ts";
import type { HostError } from "../src/tools/docker/hosts.ts";
import type { curateInspect } from "../src/tools/docker/inspect-container.ts";
import type { LifecycleResult } from "../src/tools/docker/lifecycle.ts";
import type { HostStatus } from "../src/tools/docker/list-hosts.ts";
import type { Stack } from "../src/tools/docker/list-stacks.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { adminPrincipal, createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { refusal } from "./helpers/tool-calls.ts";

/**
 * The Docker toolset against the real test engine, through the real gate. Every container here is
 * labelled for the global teardown and carries a per-run prefix, so this file only touches (and
 * prunes) its own containers.
 */

type Inspected = ReturnType<typeof curateInspect>;
type Listed = { containers: ContainerSummary[]; errors: HostError[] };

const api = { source: "api", principal: adminPrincipal } as const;
const socket = inject("dockerSocket");
const docker = new Docker({ socketPath: socket });
const prefix = `jt-${process.pid}-${Date.now().toString(36)}-`;
const n = {
  sleeper: `${prefix}sleeper`,
  sick: `${prefix}sick`,
  healthy: `${prefix}healthy`,
  exited: `${prefix}exited`,
  web: `${prefix}web`,
  db: `${prefix}db`,
  logger: `${prefix}logger`,
  tty: `${prefix}tty`,
  toggle: `${prefix}toggle`,
  doomed: `${prefix}doomed`,
  prunable: `${prefix}prunable`,
};
const stack = `${prefix}stack`;
const pruneLabel = `jarvis-test-prune=${prefix}`;
const sleep = ["sleep", "3600"];
const logScript =
  "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2; echo MATCH-me; sleep 2; echo late-1; sleep 3600";

const hostsConfig = (extra: Array<{ name: string; url: string }>) =>
  testConfig({ docker: { hosts: [{ name: "local", url: `unix://${socket}` }, ...extra] } });

let jarvis: Jarvis; // default policy
let allowing: Jarvis; // docker_* allowed
let multi: Jarvis; // "local", the same engine again as "again", and "down" that refuses connections

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function create(name: string, options: Partial<Docker.ContainerCreateOptions>, start = true) {
  const { Labels, HostConfig, ...rest } = options;
  const container = await docker.createContainer({
    Image: testImage,
    Cmd: sleep,
    ...rest,
    name,
    Labels: { [testLabel]: inject("testRunId"), ...Labels },
    HostConfig: { NetworkMode: "none", ...HostConfig },
  });
  if (start) await container.start();
  return container;
}

const inspect = (name: string) => docker.getContainer(name).inspect();

async function ok<T>(j: Jarvis, tool: string, args: unknown) {
  const run = await j.runTool({ tool, args }, api);
  if (run.status !== "ok") throw new Error(`${tool} wanted approval: ${JSON.stringify(run)}`);
  return { result: run.result as T, target: run.target, run };
}

async function cleanup() {
  const mine = await docker.listContainers({ all: true, filters: { name: [prefix] } });
  await Promise.all(
    mine.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
}

beforeAll(async () => {
  // Opening a Jarvis (PGlite, migrations) takes seconds: do it while the containers settle.
  const opening = Promise.all([
    createTestJarvis(),
    createTestJarvis({ config: testConfig({ policy: { rules: [{ tool: "docker_*", action: "allow" }] } }) }),
    createTestJarvis({
      config: hostsConfig([
        { name: "again", url: `unix://${socket}` },
        { name: "down", url: "tcp://127.0.0.1:1" },
      ]),
    }),
  ]).then((opened) => {
    [jarvis, allowing, multi] = opened;
  });
  await cleanup();
  const healthcheck = (test: string) => ({
    Test: ["CMD-SHELL", test],
    Interval: 1e9,
    Retries: 1,
    StartPeriod: 0,
  });
  const compose = (service: string) => ({
    "com.docker.compose.project": stack,
    "com.docker.compose.service": service,
    "com.docker.compose.project.working_dir": `/srv/${stack}`,
  });
  await Promise.all([
    create(n.sleeper, { Env: ["DB_PASSWORD=hunter2", "PLAIN=visible"] }),
    create(n.sick, { Healthcheck: healthcheck("false") }),
    create(n.healthy, { Healthcheck: healthcheck("true") }),
    create(n.exited, { Cmd: ["sh", "-c", "exit 3"] }),
    create(n.web, { Labels: compose("web") }),
    create(n.db, { Cmd: ["true"], Labels: compose("db") }),
    create(n.logger, { Cmd: ["sh", "-c", logScript] }),
    create(n.tty, { Cmd: ["sh", "-c", "echo tty-line; sleep 3600"], Tty: true }),
    create(n.toggle, {}),
    create(n.doomed, {}, false),
    create(n.prunable, { Cmd: ["true"], Labels: { "jarvis-test-prune": prefix } }),
  ]);
  await Promise.all([
    until("sick to turn unhealthy", async () =>
      (await inspect(n.sick)).State.Health?.Status === "unhealthy" ? true : undefined,
    ),
    until("healthy to turn healthy", async () =>
      (await inspect(n.healthy)).State.Health?.Status === "healthy" ? true : undefined,
    ),
    ...[n.exited, n.db, n.prunable].map((name) =>
      until(`${name} to exit`, async () =>
        (await inspect(name)).State.Status === "exited" ? true : undefined,
      ),
    ),
    until("logger's late line", async () => {
      const log = await docker.getContainer(n.logger).logs({ stdout: true, stderr: true, follow: false });
      return log.toString("latin1").includes("late-1") ? true : undefined;
    }),
  ]);
  await opening;
});

afterAll(async () => {
  await Promise.all([jarvis, allowing, multi].map((j) => j?.close()));
  await cleanup();
});

describe("docker read tools", () => {
  it("lists the configured hosts with the engine's real versions", async () => {
    const { result } = await ok<{ hosts: HostStatus[] }>(jarvis, "docker_list_hosts", {});
    const version = await docker.version();
    expect(result.hosts).toEqual([
      expect.objectContaining({
        name: "local",
        reachable: true,
        engineVersion: version.Version,
        apiVersion: version.ApiVersion,
      }),
    ]);
    const counts = result.hosts[0]!.containers!;
    expect(counts.total).toBeGreaterThanOrEqual(Object.keys(n).length);
    expect(counts.running).toBeLessThanOrEqual(counts.total);
  });

  it("lists containers with state, health, stack and ids the engine agrees with", async () => {
    const { result, target } = await ok<Listed>(jarvis, "docker_list_containers", {});
    expect(target).toBeNull();
    expect(result.errors).toEqual([]);
    const byName = new Map(result.containers.map((c) => [c.name, c]));
    const sleeper = await inspect(n.sleeper);
    expect(byName.get(n.sleeper)).toMatchObject({
      host: "local",
      id: sleeper.Id.slice(0, 12),
      image: testImage,
      state: "running",
      health: "none",
      stack: null,
    });
    expect(Date.parse(byName.get(n.sleeper)!.created)).toBe(
      Math.floor(Date.parse(sleeper.Created) / 1000) * 1000,
    );
    expect(byName.get(n.sick)).toMatchObject({ health: "unhealthy" });
    expect(byName.get(n.healthy)).toMatchObject({ health: "healthy" });
    expect(byName.get(n.exited)).toMatchObject({
      state: "exited",
      status: expect.stringMatching(/^Exited \(3\)/),
    });
    expect(byName.get(n.web)).toMatchObject({ stack, service: "web" });

    const running = await ok<Listed>(jarvis, "docker_list_containers", { all: false });
    const runningNames = running.result.containers.map((c) => c.name);
    expect(runningNames).toContain(n.sleeper);
    expect(runningNames).not.toContain(n.exited);

    const members = await ok<Listed>(jarvis, "docker_list_containers", { stack });
    expect(members.result.containers.map((c) => [c.name, c.service, c.state])).toEqual([
      [n.db, "db", "exited"],
      [n.web, "web", "running"],
    ]);
  });

  it("inspects a container without leaking secret env values", async () => {
    const { result, run } = await ok<Inspected>(jarvis, "docker_inspect_container", { container: n.sleeper });
    const real = await inspect(n.sleeper);
    expect(result).toMatchObject({
      host: "local",
      id: real.Id.slice(0, 12),
      name: n.sleeper,
      image: testImage,
      cmd: sleep,
    });
    expect(result.state).toMatchObject({
      status: "running",
      running: true,
      startedAt: real.State.StartedAt,
      restartCount: 0,
    });
    expect(result.env).toMatchObject({ DB_PASSWORD: "***", PLAIN: "visible" });
    expect(result.networks).toEqual([expect.objectContaining({ name: "none" })]);
    expect(JSON.stringify(run)).not.toContain("hunter2");

    const exited = await ok<Inspected>(jarvis, "docker_inspect_container", { container: n.exited });
    expect(exited.result.state).toMatchObject({ status: "exited", running: false, exitCode: 3 });

    const sick = await ok<Inspected>(jarvis, "docker_inspect_container", { container: n.sick });
    expect(sick.result.health.status).toBe("unhealthy");
    expect(sick.result.health.failingStreak).toBeGreaterThanOrEqual(1);
    expect(sick.result.health.log.length).toBeGreaterThanOrEqual(1);
    expect(sick.result.health.log.length).toBeLessThanOrEqual(5);
    expect(sick.result.health.log.at(-1)!.exitCode).toBe(1);
  });
});

describe("docker_container_logs", () => {
  const logs = async (args: Record<string, unknown>) =>
    (await ok<LogsResult>(jarvis, "docker_container_logs", { container: n.logger, ...args })).result;

  it("demultiplexes stdout and stderr with timestamps", async () => {
    const result = await logs({});
    expect(result).toMatchObject({ container: n.logger, host: "local", truncated: false });
    // Docker copies the two streams independently: order is kept within a stream, not across.
    const of = (stream: string) => result.lines.filter((l) => l.stream === stream).map((l) => l.text);
    expect(of("stdout")).toEqual(["out-1", "out-2", "MATCH-me", "late-1"]);
    expect(of("stderr")).toEqual(["err-1", "err-2"]);
    expect(result.lines).toHaveLength(6);
    const times = result.lines.map((l) => l.time!);
    for (const time of times) expect(Math.abs(Date.parse(time) - Date.now())).toBeLessThan(600_000);
    expect(result.lines.at(-1)!.text).toBe("late-1");
  });

  it("keeps the last `tail` lines and says older ones exist", async () => {
    const result = await logs({ tail: 1 });
    expect(result.lines.map((l) => l.text)).toEqual(["late-1"]);
    expect(result.truncated).toBe(true);
  });

  it("greps by case-insensitive text or /regex/", async () => {
    expect((await logs({ grep: "match" })).lines.map((l) => l.text)).toEqual(["MATCH-me"]);
    const errors = await logs({ grep: "/^err-\\d$/" });
    expect(errors.lines.map((l) => [l.stream, l.text])).toEqual([
      ["stderr", "err-1"],
      ["stderr", "err-2"],
    ]);
    expect((await logs({ grep: "/^err-\\d$/", tail: 1 })).lines.map((l) => l.text)).toEqual(["err-2"]);
  });

  it("honours since as a duration, an ISO time and unix seconds", async () => {
    const all = await logs({});
    expect((await logs({ since: "1h" })).lines).toHaveLength(6);
    // The late line was written two seconds after MATCH-me.
    const cut = Date.parse(all.lines.find((l) => l.text === "MATCH-me")!.time!) + 1000;
    expect((await logs({ since: new Date(cut).toISOString() })).lines.map((l) => l.text)).toEqual(["late-1"]);
    expect((await logs({ since: String(cut / 1000) })).lines.map((l) => l.text)).toEqual(["late-1"]);
  });

  it("reads a TTY container's log as plain stdout", async () => {
    const { result } = await ok<LogsResult>(jarvis, "docker_container_logs", { container: n.tty });
    expect(result.lines.map((l) => [l.stream, l.text])).toEqual([["stdout", "tty-line"]]);
  });

  it("rejects a broken regex and an unreadable since as invalid input", async () => {
    const bad = await refusal(
      jarvis.runTool({ tool: "docker_container_logs", args: { container: n.logger, grep: "/(/" } }, api),
    );
    expect(bad).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/grep: not a valid regular expression/),
    });
    const since = await refusal(
      jarvis.runTool(
        { tool: "docker_container_logs", args: { container: n.logger, since: "yesterday" } },
        api,
      ),
    );
    expect(since).toMatchObject({ code: "invalid_input", message: expect.stringContaining("since") });
  });
});

describe("docker_container_stats and docker_list_stacks", () => {
  it("samples one running container", async () => {
    const { result, target } = await ok<ContainerStatsRow>(jarvis, "docker_container_stats", {
      container: n.sleeper,
    });
    const cpus = (await docker.info()).NCPU as number;
    expect(target).toBe(`local/${n.sleeper}`);
    expect(result).toMatchObject({
      host: "local",
      name: n.sleeper,
      pids: 1,
      network: { rxBytes: 0, txBytes: 0 },
    });
    expect(result.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(result.cpuPercent).toBeLessThanOrEqual(cpus * 100);
    expect(result.memory.usageBytes).toBeGreaterThan(0);
    expect(result.memory.limitBytes).toBeGreaterThan(result.memory.usageBytes);
    expect(result.memory.percent).toBeLessThan(100);
  });

  it("refuses a stopped container and samples every running one without a name", async () => {
    const stopped = await refusal(
      jarvis.runTool({ tool: "docker_container_stats", args: { container: n.exited } }, api),
    );
    expect(stopped).toMatchObject({ code: "conflict", message: expect.stringContaining("is exited") });
    const { result } = await ok<StatsOfAll>(jarvis, "docker_container_stats", { host: "local" });
    const names = result.containers.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining([n.sleeper, n.sick, n.logger]));
    expect(names).not.toContain(n.exited);
  });

  it("groups compose containers into stacks", async () => {
    const { result } = await ok<{ stacks: Stack[]; errors: HostError[] }>(jarvis, "docker_list_stacks", {});
    expect(result.stacks.find((s) => s.name === stack)).toEqual({
      name: stack,
      host: "local",
      services: ["db", "web"],
      containers: 2,
      running: 1,
      status: "partial",
      workingDir: `/srv/${stack}`,
    });
  });
});

describe("docker write and destructive tools through the gate", () => {
  it("stops and starts when policy allows, with changed false when nothing changes", async () => {
    const step = async (tool: string) =>
      (await ok<LifecycleResult>(allowing, tool, { container: n.toggle, timeout: 0 })).result;
    expect(await step("docker_stop_container")).toEqual({
      container: n.toggle,
      host: "local",
      changed: true,
      state: "exited",
      health: "none",
    });
    expect((await inspect(n.toggle)).State.Running).toBe(false);
    expect((await step("docker_stop_container")).changed).toBe(false);
    const started = await ok<LifecycleResult>(allowing, "docker_start_container", { container: n.toggle });
    expect(started.result).toMatchObject({ changed: true, state: "running" });
    expect((await inspect(n.toggle)).State.Running).toBe(true);
    expect(
      (await ok<LifecycleResult>(allowing, "docker_start_container", { container: n.toggle })).result.changed,
    ).toBe(false);
  });

  it("asks before a restart under the default policy and does not restart", async () => {
    const before = await inspect(n.sleeper);
    const run = await jarvis.runTool(
      { tool: "docker_restart_container", args: { container: before.Id.slice(0, 12) } },
      api,
    );
    expect(run.status).toBe("approval_required");
    if (run.status !== "approval_required") return;
    expect(run.approval).toMatchObject({
      tool: "docker_restart_container",
      target: `local/${n.sleeper}`,
      status: "pending",
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await inspect(n.sleeper)).State.StartedAt).toBe(before.State.StartedAt);
  });

  it("removes a container once the approval is approved", async () => {
    const run = await jarvis.runTool({ tool: "docker_remove_container", args: { container: n.doomed } }, api);
    if (run.status !== "approval_required") throw new Error("expected an approval");
    expect(run.approval.target).toBe(`local/${n.doomed}`);
    await inspect(n.doomed); // still there while pending
    const decided = await jarvis.decideApproval(run.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({
      status: "ok",
      result: { container: n.doomed, host: "local", removed: true },
    });
    await expect(inspect(n.doomed)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("refuses to remove a running container without force", async () => {
    const error = await refusal(
      allowing.runTool({ tool: "docker_remove_container", args: { container: n.sleeper } }, api),
    );
    expect(error).toMatchObject({
      code: "conflict",
      message: `Container "${n.sleeper}" on host local is running; stop it first or pass force: true`,
    });
    expect((await inspect(n.sleeper)).State.Running).toBe(true);
  });

  it("prunes stopped containers (limited to this run's label) on the default host", async () => {
    const asked = await jarvis.runTool(
      { tool: "docker_prune", args: { what: "containers", label: pruneLabel } },
      api,
    );
    expect(asked).toMatchObject({ status: "approval_required", approval: { target: "local" } });
    const prunable = await inspect(n.prunable);
    const { result, target } = await ok<{
      host: string;
      removed: number;
      items: string[];
      spaceReclaimed: number;
    }>(allowing, "docker_prune", { what: "containers", label: pruneLabel });
    expect(target).toBe("local");
    expect(result).toMatchObject({ host: "local", removed: 1, items: [prunable.Id.slice(0, 12)] });
    expect(result.spaceReclaimed).toBeGreaterThanOrEqual(0);
    await expect(inspect(n.prunable)).rejects.toMatchObject({ statusCode: 404 });
    expect((await inspect(n.exited)).State.Status).toBe("exited");
  });
});

describe("docker tool errors and targets", () => {
  it("names a missing container and the host it looked on", async () => {
    const error = await refusal(
      jarvis.runTool({ tool: "docker_inspect_container", args: { container: `${prefix}missing` } }, api),
    );
    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`No container named "${prefix}missing" on host local`);
  });

  it("reports a down host next to the reachable hosts' containers, and refuses to act on it", async () => {
    const { result } = await ok<Listed>(multi, "docker_list_containers", {});
    const sleepers = result.containers.filter((c) => c.name === n.sleeper).map((c) => c.host);
    expect(sleepers).toEqual(["again", "local"]);
    expect(result.errors).toEqual([
      {
        host: "down",
        message: expect.stringMatching(
          /^Docker host "down" \(tcp:\/\/127\.0\.0\.1:1\) is unreachable: .*ECONNREFUSED/,
        ),
      },
    ]);
    const hosts = await ok<{ hosts: HostStatus[] }>(multi, "docker_list_hosts", {});
    expect(hosts.result.hosts.map((h) => [h.name, h.reachable, h.error !== null])).toEqual([
      ["local", true, false],
      ["again", true, false],
      ["down", false, true],
    ]);
    const args = { container: n.sleeper, host: "down" };
    const error = await refusal(multi.runTool({ tool: "docker_inspect_container", args }, api));
    expect(error).toMatchObject({
      code: "unavailable",
      message: expect.stringContaining('Docker host "down"'),
    });
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it("insists on a host when the name exists on two, and says which hosts it could not check", async () => {
    const args = { container: n.sleeper };
    const error = await refusal(multi.runTool({ tool: "docker_inspect_container", args }, api));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/local\/.*again\/.*pass host/);
    const again = await ok<Inspected>(multi, "docker_inspect_container", {
      container: n.sleeper,
      host: "again",
    });
    expect(again.target).toBe(`again/${n.sleeper}`);
    const missing = await refusal(
      multi.runTool({ tool: "docker_inspect_container", args: { container: `${prefix}nope` } }, api),
    );
    expect(missing.code).toBe("not_found");
    expect(missing.message).toMatch(
      /on any host \(local, again, down\); could not check: Docker host "down"/,
    );
  });

  it("rejects bad input naming the field, executing nothing", async () => {
    const wrongType = await refusal(
      jarvis.runTool({ tool: "docker_container_logs", args: { container: n.logger, tail: "ten" } }, api),
    );
    expect(wrongType).toMatchObject({ code: "invalid_input", message: expect.stringContaining("tail") });
    const unknown = await refusal(
      jarvis.runTool({ tool: "docker_inspect_container", args: { container: n.sleeper, bogus: 1 } }, api),
    );
    expect(unknown).toMatchObject({ code: "invalid_input", message: expect.stringContaining("bogus") });
    const badName = await refusal(
      jarvis.runTool({ tool: "docker_inspect_container", args: { container: "/etc/passwd" } }, api),
    );
    expect(badName).toMatchObject({ code: "invalid_input", message: expect.stringContaining("container") });

    const before = await inspect(n.toggle);
    const stop = await refusal(
      allowing.runTool({ tool: "docker_stop_container", args: { container: n.toggle, timeout: -5 } }, api),
    );
    expect(stop).toMatchObject({ code: "invalid_input", message: expect.stringContaining("timeout") });
    const after = await inspect(n.toggle);
    expect([after.State.Running, after.State.StartedAt]).toEqual([true, before.State.StartedAt]);
    const [row] = await allowing.audit.list({ tool: "docker_stop_container", limit: 1 });
    expect(row).toMatchObject({ outcome: "invalid_input", decision: "invalid" });
  });

  it("gives the same target whether called by name, id or id prefix", async () => {
    const { Id } = await inspect(n.sleeper);
    const targets = new Set<string | null>();
    for (const container of [n.sleeper, Id, Id.slice(0, 12), Id.slice(0, 5)]) {
      targets.add((await ok<Inspected>(jarvis, "docker_inspect_container", { container })).target);
    }
    expect([...targets]).toEqual([`local/${n.sleeper}`]);
  });
});
