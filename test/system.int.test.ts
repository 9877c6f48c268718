import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import os, { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import type { HostFacts } from "../src/tools/system/read-host.ts";
import { createTestJarvis, operatorPrincipal, testConfig, viewerPrincipal } from "./helpers/jarvis.ts";

const chat = { source: "chat", principal: viewerPrincipal } as const;

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "jarvis-sysroot-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/**
 * system_info through the real gate: this machine's own procfs compared with what Node and the
 * kernel report, a fixture tree in the kernel's formats (proc(5), os-release(5), sysfs thermal and
 * hwmon), and a "remote" Docker host that is the real engine reached over TCP.
 */
describe("system_info", { timeout: 60_000 }, () => {
  const socket = inject("dockerSocket");
  let jarvis: Jarvis;
  let proxy: Server;
  const roots: string[] = [];

  beforeAll(async () => {
    // A TCP port that forwards to the test engine's unix socket, so a tcp:// host is really remote-shaped.
    proxy = createServer((client) => {
      const engine = connect(socket);
      client.pipe(engine).pipe(client);
      client.on("error", () => engine.destroy());
      engine.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as { port: number };
    const base = testConfig();
    jarvis = await createTestJarvis({
      config: {
        ...base,
        docker: {
          ...base.docker,
          hosts: [
            { name: "local", url: `unix://${socket}` },
            { name: "nas-box", url: `tcp://127.0.0.1:${port}` },
          ],
        },
      },
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    proxy?.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  const info = async (args: Record<string, unknown>, context: Parameters<Jarvis["runTool"]>[1] = chat) => {
    const run = await jarvis.runTool({ tool: "system_info", args }, context);
    if (run.status !== "ok") throw new Error(`system_info: ${run.status}`);
    return run.result as HostFacts & { host: string; note?: string };
  };

  it("reports this machine as the kernel and Node see it, without asking (read-only, even for a viewer)", async () => {
    const facts = await info({});
    expect(facts.host).toBe("local");
    expect(facts.kernel).toBe(os.release());
    expect(facts.memory!.totalBytes).toBe(os.totalmem());
    expect(facts.memory!.usedBytes).toBeGreaterThan(0);
    expect(facts.memory!.usedBytes).toBeLessThan(os.totalmem());
    expect(facts.cpu.threads).toBe(os.cpus().length);
    expect(facts.cpu.model).toBe(os.cpus()[0]!.model.trim());
    expect(Math.abs(facts.uptimeSeconds! - os.uptime())).toBeLessThan(120);
    expect(facts.load).toHaveLength(3);
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    expect(facts.os).toBe(pretty);
    const audit = await jarvis.audit.list({ tool: "system_info" });
    expect(audit[0]).toMatchObject({ tool: "system_info", outcome: "ok", source: "chat" });
  });

  it("parses an ARM board's procfs and sysfs: cores, swap, thermal zones and labelled hwmon sensors", async () => {
    const root = tree({
      "etc/os-release":
        'NAME="Debian GNU/Linux"\nVERSION="12 (bookworm)"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      "proc/sys/kernel/osrelease": "6.1.0-28-arm64\n",
      "proc/uptime": "3542400.55 14000000.10\n",
      "proc/loadavg": "0.41 0.38 0.35 1/312 4242\n",
      "proc/meminfo":
        "MemTotal:        8388608 kB\nMemFree:          512000 kB\nMemAvailable:    5872026 kB\nSwapTotal:       1048576 kB\nSwapFree:         786432 kB\n",
      "proc/cpuinfo": `${[0, 1, 2, 3]
        .map((n) => `processor\t: ${n}\nBogoMIPS\t: 48.00\nCPU part\t: 0xd05\n`)
        .join("\n")}\nHardware\t: Rockchip RK3588\nModel\t\t: Radxa ROCK 5B\n`,
      "sys/class/thermal/thermal_zone0/type": "soc-thermal\n",
      "sys/class/thermal/thermal_zone0/temp": "52300\n",
      "sys/class/thermal/thermal_zone1/type": "gpu-thermal\n",
      "sys/class/thermal/thermal_zone1/temp": "47850\n",
      "sys/class/hwmon/hwmon0/name": "nvme\n",
      "sys/class/hwmon/hwmon0/temp1_input": "41850\n",
      "sys/class/hwmon/hwmon0/temp1_label": "Composite\n",
      "sys/class/hwmon/hwmon1/name": "nvme\n",
      "sys/class/hwmon/hwmon1/temp1_input": "39000\n",
      "sys/class/hwmon/hwmon1/temp1_label": "Composite\n",
    });
    roots.push(root);
    jarvis.clients.system = { root };
    try {
      expect(await info({})).toEqual({
        host: "local",
        os: "Debian GNU/Linux 12 (bookworm)",
        kernel: "6.1.0-28-arm64",
        uptimeSeconds: 3542400,
        cpu: { model: "Radxa ROCK 5B", cores: 4, threads: 4 },
        load: [0.41, 0.38, 0.35],
        memory: { totalBytes: 8589934592, usedBytes: 8589934592 - 6012954624, availableBytes: 6012954624 },
        swap: { totalBytes: 1073741824, usedBytes: 268435456 },
        temperaturesC: {
          "soc-thermal": 52.3,
          "gpu-thermal": 47.9,
          "nvme Composite": 41.9,
          "nvme Composite-2": 39,
        },
      });
    } finally {
      jarvis.clients.system = undefined;
    }
  });

  it("says what it cannot read instead of failing (a container without sysfs or os-release)", async () => {
    const root = tree({ "proc/loadavg": "2.00 1.00 0.50 1/1 1\n" });
    roots.push(root);
    jarvis.clients.system = { root };
    try {
      expect(await info({})).toMatchObject({
        os: null,
        kernel: null,
        uptimeSeconds: null,
        cpu: { model: null, cores: null, threads: null },
        load: [2, 1, 0.5],
        memory: null,
        swap: null,
        temperaturesC: {},
      });
    } finally {
      jarvis.clients.system = undefined;
    }
  });

  it("asks a host reached over the network through its Docker engine, and says what that cannot tell", async () => {
    const engine = (await new Docker({ socketPath: socket }).info()) as {
      KernelVersion: string;
      NCPU: number;
      MemTotal: number;
    };
    const facts = await info({ host: "nas-box" }, { source: "api", principal: operatorPrincipal });
    expect(facts).toMatchObject({
      host: "nas-box",
      kernel: engine.KernelVersion,
      cpu: { threads: engine.NCPU },
      memory: { totalBytes: engine.MemTotal },
      note: expect.stringContaining("not uptime, load, swap or temperatures"),
    });
  });

  it("refuses an unknown host, naming the configured ones, and rejects a malformed name before running", async () => {
    await expect(info({ host: "nope" })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("local, nas-box"),
    });
    await expect(info({ host: "../etc" })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
