import type { ContainerStats } from "dockerode";

/**
 * Pure arithmetic on one `GET /containers/{id}/stats?stream=false` sample, the way `docker stats`
 * computes it. Kept apart from I/O so it is unit-tested with recorded samples.
 */

export interface StatsSummary {
  cpuPercent: number;
  memory: { usageBytes: number; limitBytes: number; percent: number };
  network: { rxBytes: number; txBytes: number };
  blockIo: { readBytes: number; writeBytes: number };
  pids: number;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** cpu_delta / system_delta × online CPUs × 100, from the sample and the one before it. */
export function cpuPercent(stats: Pick<ContainerStats, "cpu_stats" | "precpu_stats">): number {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  // A first sample has no predecessor (precpu is empty): report 0 rather than a bogus spike.
  if (cpuDelta <= 0 || systemDelta <= 0 || !pre?.system_cpu_usage) return 0;
  const cpus = cpu.online_cpus || cpu.cpu_usage.percpu_usage?.length || 1;
  return round1((cpuDelta / systemDelta) * cpus * 100);
}

/**
 * Memory in use without the page cache the kernel can drop: cgroup v1 reports it as `cache`,
 * cgroup v2 has no `cache` and uses `inactive_file`.
 */
export function memoryUsage(memory: ContainerStats["memory_stats"] | undefined): StatsSummary["memory"] {
  const usage = memory?.usage ?? 0;
  const stats = (memory?.stats ?? {}) as Record<string, number | undefined>;
  const reclaimable = stats.cache !== undefined ? stats.cache : (stats.inactive_file ?? 0);
  const usageBytes = reclaimable < usage ? usage - reclaimable : usage;
  const limitBytes = memory?.limit ?? 0;
  return { usageBytes, limitBytes, percent: limitBytes > 0 ? round1((usageBytes / limitBytes) * 100) : 0 };
}

/** Bytes over every interface; a container with `--network none` reports no `networks` at all. */
export function networkTotals(networks: ContainerStats["networks"] | undefined): StatsSummary["network"] {
  let rxBytes = 0;
  let txBytes = 0;
  for (const iface of Object.values(networks ?? {})) {
    rxBytes += iface?.rx_bytes ?? 0;
    txBytes += iface?.tx_bytes ?? 0;
  }
  return { rxBytes, txBytes };
}

/** Block I/O bytes; cgroup v1 spells the ops "Read"/"Write", v2 "read"/"write". */
export function blockIo(blkio: ContainerStats["blkio_stats"] | undefined): StatsSummary["blockIo"] {
  let readBytes = 0;
  let writeBytes = 0;
  for (const entry of blkio?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase();
    if (op === "read") readBytes += entry.value;
    else if (op === "write") writeBytes += entry.value;
  }
  return { readBytes, writeBytes };
}

/** Everything a person asks of `docker stats`, from one sample. */
export function summarizeStats(stats: ContainerStats): StatsSummary {
  return {
    cpuPercent: cpuPercent(stats),
    memory: memoryUsage(stats.memory_stats),
    network: networkTotals(stats.networks),
    blockIo: blockIo(stats.blkio_stats),
    pids: stats.pids_stats?.current ?? 0,
  };
}
