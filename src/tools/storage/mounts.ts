import { readFile, statfs } from "node:fs/promises";

/** One filesystem's size, as `df` counts it (available = what unprivileged users can still write). */
export interface Filesystem {
  mount: string;
  device: string;
  type: string;
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
  usedPercent: number;
}

/** Kernel and container plumbing that is not a disk anyone fills. */
const pseudo = new Set([
  "proc",
  "sysfs",
  "cgroup",
  "cgroup2",
  "devpts",
  "mqueue",
  "debugfs",
  "tracefs",
  "securityfs",
  "pstore",
  "bpf",
  "configfs",
  "fusectl",
  "hugetlbfs",
  "autofs",
  "binfmt_misc",
  "nsfs",
  "rpc_pipefs",
  "devtmpfs",
  "tmpfs",
  "ramfs",
  "efivarfs",
  "selinuxfs",
  "squashfs",
  "fuse.lxcfs",
  "overlay",
]);

/** /proc/mounts escapes spaces and tabs in paths as octal. */
const unescapeOctal = (field: string) =>
  field.replace(/\\([0-7]{3})/g, (_, oct) => String.fromCharCode(Number.parseInt(oct, 8)));

interface MountEntry {
  device: string;
  mount: string;
  type: string;
}

export async function readMounts(file = "/proc/self/mounts"): Promise<MountEntry[]> {
  const text = await readFile(file, "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [device = "", mount = "", type = ""] = line.split(" ");
      return { device: unescapeOctal(device), mount: unescapeOctal(mount), type };
    });
}

export async function usageOf(entry: MountEntry, path = entry.mount): Promise<Filesystem> {
  const s = await statfs(path);
  const used = (s.blocks - s.bfree) * s.bsize;
  const free = s.bavail * s.bsize;
  const size = s.blocks * s.bsize;
  const usable = used + free;
  return {
    mount: entry.mount,
    device: entry.device,
    type: entry.type,
    sizeBytes: size,
    usedBytes: used,
    freeBytes: free,
    usedPercent: usable === 0 ? 0 : Math.round((used / usable) * 1000) / 10,
  };
}

/** The filesystems worth reporting: real disks and network shares, each device once (its shortest mount). */
export async function listFilesystems(file?: string): Promise<Filesystem[]> {
  const seen = new Set<string>();
  const entries = (await readMounts(file))
    .filter(
      (m) => !pseudo.has(m.type) && !m.mount.startsWith("/var/lib/docker/") && !m.mount.startsWith("/run/"),
    )
    .sort((a, b) => a.mount.length - b.mount.length);
  const out: Filesystem[] = [];
  for (const entry of entries) {
    if (seen.has(entry.device)) continue;
    seen.add(entry.device);
    const fs = await usageOf(entry).catch(() => undefined);
    if (fs && fs.sizeBytes > 0) out.push(fs);
  }
  return out.sort((a, b) => a.mount.localeCompare(b.mount));
}

/** The filesystem that holds `path`: the longest mount point that is a prefix of it. */
export async function filesystemOf(path: string, file?: string): Promise<Filesystem> {
  const entries = await readMounts(file);
  const holder = entries
    .filter((m) => path === m.mount || path.startsWith(m.mount === "/" ? "/" : `${m.mount}/`))
    .sort((a, b) => b.mount.length - a.mount.length)[0] ?? { device: "?", mount: "/", type: "?" };
  return usageOf(holder, path);
}
