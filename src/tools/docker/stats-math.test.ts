import type { ContainerStats } from "dockerode";
import { describe, expect, it } from "vitest";
import { blockIo, cpuPercent, memoryUsage, networkTotals, summarizeStats } from "./stats-math.ts";

const cpu = (total: number, system: number, online = 2) => ({
  cpu_usage: { total_usage: total, percpu_usage: [], usage_in_kernelmode: 0, usage_in_usermode: 0 },
  system_cpu_usage: system,
  online_cpus: online,
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});

describe("cpuPercent", () => {
  it("is cpu delta / system delta × online cpus × 100, to 0.1", () => {
    // 50 ms of CPU over 2 s of system time (both CPUs) on 2 CPUs: 0.05/2 × 2 × 100 = 5 %.
    expect(
      cpuPercent({ precpu_stats: cpu(1_000_000_000, 100e9), cpu_stats: cpu(1_050_000_000, 102e9) }),
    ).toBe(5);
    expect(cpuPercent({ precpu_stats: cpu(0, 100e9, 4), cpu_stats: cpu(123_456_789, 101e9, 4) })).toBe(49.4);
  });

  it("is 0 for a first sample with no predecessor or an idle container", () => {
    expect(cpuPercent({ precpu_stats: cpu(0, 0), cpu_stats: cpu(5e8, 100e9) })).toBe(0);
    expect(cpuPercent({ precpu_stats: cpu(5e8, 100e9), cpu_stats: cpu(5e8, 102e9) })).toBe(0);
  });

  it("falls back to the per-cpu count when online_cpus is missing", () => {
    const now = {
      ...cpu(2e9, 102e9, 0),
      cpu_usage: { ...cpu(0, 0).cpu_usage, total_usage: 2e9, percpu_usage: [1, 2, 3, 4] },
    };
    expect(cpuPercent({ precpu_stats: cpu(1e9, 100e9), cpu_stats: now })).toBe(200);
  });
});

describe("memoryUsage", () => {
  it("subtracts cgroup v1 cache", () => {
    const m = { usage: 10_000, limit: 100_000, stats: { cache: 4_000, inactive_file: 3_000 } } as never;
    expect(memoryUsage(m)).toEqual({ usageBytes: 6_000, limitBytes: 100_000, percent: 6 });
  });

  it("subtracts cgroup v2 inactive_file when there is no cache", () => {
    const m = { usage: 10_000, limit: 30_000, stats: { inactive_file: 1_000, anon: 9_000 } } as never;
    expect(memoryUsage(m)).toEqual({ usageBytes: 9_000, limitBytes: 30_000, percent: 30 });
  });

  it("never goes negative and copes with a missing block", () => {
    expect(memoryUsage({ usage: 100, limit: 1000, stats: { cache: 500 } } as never).usageBytes).toBe(100);
    expect(memoryUsage(undefined)).toEqual({ usageBytes: 0, limitBytes: 0, percent: 0 });
  });
});

describe("network and block I/O", () => {
  it("sums every interface and is 0 without networks", () => {
    const nets = { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } } as never;
    expect(networkTotals(nets)).toEqual({ rxBytes: 11, txBytes: 22 });
    expect(networkTotals(undefined)).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  it("sums reads and writes in either spelling", () => {
    const entries = [
      { major: 8, minor: 0, op: "Read", value: 100 },
      { major: 8, minor: 0, op: "Write", value: 50 },
      { major: 8, minor: 16, op: "read", value: 1 },
      { major: 8, minor: 16, op: "write", value: 2 },
      { major: 8, minor: 0, op: "Total", value: 153 },
    ];
    expect(blockIo({ io_service_bytes_recursive: entries } as never)).toEqual({
      readBytes: 101,
      writeBytes: 52,
    });
    expect(blockIo(undefined)).toEqual({ readBytes: 0, writeBytes: 0 });
  });
});

describe("summarizeStats", () => {
  it("summarises a sample recorded from a cgroup v1 engine with --network none", () => {
    const sample = {
      read: "2026-11-26T15:21:00.221056546Z",
      preread: "2026-11-26T15:20:59.211673816Z",
      pids_stats: { current: 1 },
      blkio_stats: { io_service_bytes_recursive: [] },
      num_procs: 0,
      cpu_stats: cpu(38_070_318, 1_021_040_000_000),
      precpu_stats: cpu(38_070_318, 1_019_040_000_000),
      memory_stats: {
        usage: 2_564_096,
        limit: 25_276_063_744,
        stats: { cache: 1_966_080, inactive_file: 1_957_888 },
      },
    } as unknown as ContainerStats;
    expect(summarizeStats(sample)).toEqual({
      cpuPercent: 0,
      memory: { usageBytes: 598_016, limitBytes: 25_276_063_744, percent: 0 },
      network: { rxBytes: 0, txBytes: 0 },
      blockIo: { readBytes: 0, writeBytes: 0 },
      pids: 1,
    });
  });
});
