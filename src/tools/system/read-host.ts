import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** What system_info reports about the machine Jarvis runs on, read from procfs and sysfs. */
export interface HostFacts {
  os: string | null;
  kernel: string | null;
  uptimeSeconds: number | null;
  cpu: { model: string | null; cores: number | null; threads: number | null };
  load: [number, number, number] | null;
  memory: { totalBytes: number; usedBytes: number; availableBytes: number } | null;
  swap: { totalBytes: number; usedBytes: number } | null;
  /** Degrees Celsius by sensor (thermal zones and hwmon chips), when the machine exposes any. */
  temperaturesC: Record<string, number>;
}

const text = (path: string) => readFile(path, "utf8").catch(() => null);

/** PRETTY_NAME from os-release(5), or NAME and VERSION. */
export function parseOsRelease(content: string): string | null {
  const fields = new Map<string, string>();
  for (const line of content.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) fields.set(match[1]!, match[2]!.replace(/^(["'])(.*)\1$/, "$2"));
  }
  return (
    fields.get("PRETTY_NAME") ??
    ([fields.get("NAME"), fields.get("VERSION")].filter(Boolean).join(" ") || null)
  );
}

/** Memory and swap from /proc/meminfo (kB values): used = total − available, as `free` shows it. */
export function parseMeminfo(content: string): Pick<HostFacts, "memory" | "swap"> {
  const kb = new Map<string, number>();
  for (const line of content.split("\n")) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match) kb.set(match[1]!, Number(match[2]) * 1024);
  }
  const total = kb.get("MemTotal");
  const available = kb.get("MemAvailable") ?? kb.get("MemFree");
  const swapTotal = kb.get("SwapTotal");
  const swapFree = kb.get("SwapFree");
  return {
    memory:
      total !== undefined && available !== undefined
        ? { totalBytes: total, usedBytes: total - available, availableBytes: available }
        : null,
    swap:
      swapTotal !== undefined && swapFree !== undefined
        ? { totalBytes: swapTotal, usedBytes: swapTotal - swapFree }
        : null,
  };
}

/** Model, physical cores and hardware threads from /proc/cpuinfo (x86 and ARM layouts). */
export function parseCpuinfo(content: string): HostFacts["cpu"] {
  const blocks = content.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const field = (block: string, name: string) =>
    new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(block)?.[1]?.trim();
  const model =
    blocks.map((b) => field(b, "model name") ?? field(b, "Model")).find(Boolean) ??
    field(content, "Model") ??
    field(content, "Hardware") ??
    null;
  const cores = new Set(
    blocks
      .map((b) =>
        field(b, "core id") !== undefined ? `${field(b, "physical id") ?? 0}:${field(b, "core id")}` : null,
      )
      .filter((core): core is string => core !== null),
  );
  const threads = blocks.length || null;
  return { model, cores: cores.size || threads, threads };
}

/** Thermal zones (type → temp) and hwmon sensors (name or label → temp*_input), millidegrees → °C. */
async function temperatures(sys: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const put = (name: string, milli: string | null) => {
    const value = Number(milli?.trim());
    if (!milli || !Number.isFinite(value)) return;
    let key = name.trim() || "sensor";
    for (let n = 2; key in found; n++) key = `${name.trim()}-${n}`;
    found[key] = Math.round(value / 100) / 10;
  };
  const zones = join(sys, "class/thermal");
  for (const zone of (await readdir(zones).catch(() => []))
    .filter((z) => z.startsWith("thermal_zone"))
    .sort()) {
    put((await text(join(zones, zone, "type"))) ?? zone, await text(join(zones, zone, "temp")));
  }
  const hwmon = join(sys, "class/hwmon");
  for (const chip of (await readdir(hwmon).catch(() => [])).sort()) {
    const dir = join(hwmon, chip);
    const chipName = ((await text(join(dir, "name"))) ?? chip).trim();
    const inputs = (await readdir(dir).catch(() => [])).filter((f) => /^temp\d+_input$/.test(f)).sort();
    for (const input of inputs) {
      const label = await text(join(dir, input.replace("_input", "_label")));
      put(label ? `${chipName} ${label.trim()}` : chipName, await text(join(dir, input)));
    }
  }
  return found;
}

/** Reads the facts of the machine under `root` ("/" in production; a fixture tree in tests). */
export async function readHostFacts(root = "/"): Promise<HostFacts> {
  const proc = join(root, "proc");
  const [osRelease, kernel, uptime, loadavg, meminfo, cpuinfo] = await Promise.all([
    text(join(root, "etc/os-release")).then((c) => c ?? text(join(root, "usr/lib/os-release"))),
    text(join(proc, "sys/kernel/osrelease")),
    text(join(proc, "uptime")),
    text(join(proc, "loadavg")),
    text(join(proc, "meminfo")),
    text(join(proc, "cpuinfo")),
  ]);
  const load = loadavg?.trim().split(/\s+/).slice(0, 3).map(Number);
  const up = Number(uptime?.trim().split(/\s+/)[0]);
  return {
    os: osRelease ? parseOsRelease(osRelease) : null,
    kernel: kernel?.trim() || null,
    uptimeSeconds: Number.isFinite(up) && uptime ? Math.floor(up) : null,
    cpu: cpuinfo ? parseCpuinfo(cpuinfo) : { model: null, cores: null, threads: null },
    load: load?.length === 3 && load.every(Number.isFinite) ? (load as [number, number, number]) : null,
    ...(meminfo ? parseMeminfo(meminfo) : { memory: null, swap: null }),
    temperaturesC: await temperatures(join(root, "sys")),
  };
}
