import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { fitTrend } from "../src/tools/storage/trend.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { okResult as ok, refusal } from "./helpers/tool-calls.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

interface Fs {
  device: string;
  type: string;
  mount: string;
  sizeBytes: number;
  usedBytes: number;
  freeBytes: number;
  usedPercent: number;
  daysUntilFull?: number | null;
  trend?: { bytesPerDay: number; samples: number };
}

describe("storage tools on this machine's real filesystems", () => {
  let jarvis: Jarvis;
  const root = mkdtempSync(join(tmpdir(), "jarvis-storage-"));
  const outside = mkdtempSync(join(tmpdir(), "jarvis-outside-"));
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const stoppedName = `jarvis-storage-stopped-${inject("testRunId")}`;

  beforeAll(async () => {
    mkdirSync(join(root, "media/movies"), { recursive: true });
    mkdirSync(join(root, "media/music"), { recursive: true });
    writeFileSync(join(root, "media/movies/film.mkv"), Buffer.alloc(3 * 1024 * 1024, 1));
    writeFileSync(join(root, "media/music/song.flac"), Buffer.alloc(512 * 1024, 1));
    linkSync(join(root, "media/movies/film.mkv"), join(root, "media/movies/film-hardlink.mkv"));
    writeFileSync(join(outside, "secret.bin"), Buffer.alloc(1024 * 1024, 1));
    symlinkSync(outside, join(root, "media/escape"));
    jarvis = await createTestJarvis({
      config: testConfig({ storage: { roots: [root], sampleMinutes: 0, trendDays: 14 } }),
    });
    const container = await docker.createContainer({
      Image: testImage,
      Cmd: ["sh", "-c", "dd if=/dev/zero of=/junk bs=1024 count=256"],
      name: stoppedName,
      Labels: { [testLabel]: inject("testRunId") },
      HostConfig: { NetworkMode: "none" },
    });
    await container.start();
    await container.wait();
  });
  afterAll(async () => {
    await docker
      .getContainer(stoppedName)
      .remove({ force: true })
      .catch(() => {});
    await jarvis?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it("reports each real filesystem as df does", async () => {
    const { filesystems } = await ok<{ filesystems: Fs[] }>(jarvis, "storage_disk_usage", {});
    const rootFs = filesystems.find((f) => f.mount === "/");
    expect(rootFs).toBeDefined();
    const df = execFileSync("df", ["-B1", "--output=size,avail", "/"], { encoding: "utf8" })
      .trim()
      .split("\n")[1]!;
    const [size, avail] = df.trim().split(/\s+/).map(Number);
    expect(rootFs!.sizeBytes).toBe(size);
    // Used and available move with every write on a shared disk; a tenth of a percent apart at most.
    expect(Math.abs(rootFs!.freeBytes - avail!) / size!).toBeLessThan(0.001);
    expect(filesystems.map((f) => f.mount)).not.toContain("/proc");
    const one = await ok<{ filesystems: Fs[] }>(jarvis, "storage_disk_usage", { path: root });
    expect(one.filesystems).toHaveLength(1);
    expect(
      (await refusal(jarvis.runTool({ tool: "storage_disk_usage", args: { path: "relative" } }, api))).code,
    ).toBe("invalid_input");
  });

  it("fits the growth trend and days until full from recorded samples", async () => {
    const [now] = (await ok<{ filesystems: Fs[] }>(jarvis, "storage_disk_usage", { path: "/" })).filesystems;
    const day = 86_400_000;
    const samples = [6, 4, 2, 0].map((ago, i) => ({
      at: new Date(Date.now() - ago * day - 60_000),
      used: now!.usedBytes - (3 - i) * 1e9,
    }));
    for (const s of samples) {
      await jarvis.clients.storage!.samples.record([{ ...now!, usedBytes: s.used }], s.at);
    }
    // A sample older than the trend window is ignored.
    await jarvis.clients.storage!.samples.record(
      [{ ...now!, usedBytes: 1 }],
      new Date(Date.now() - 30 * day),
    );
    const [after] = (await ok<{ filesystems: Fs[] }>(jarvis, "storage_disk_usage", { path: "/" }))
      .filesystems;
    expect(after!.trend).toMatchObject({ samples: 4 });
    expect(after!.trend!.bytesPerDay).toBeGreaterThan(0.49e9);
    expect(after!.trend!.bytesPerDay).toBeLessThan(0.51e9);
    const expected = fitTrend(
      samples.map((s) => ({ at: s.at, usedBytes: s.used, sizeBytes: 0 })),
      after!.freeBytes,
    )!.daysUntilFull;
    expect(after!.daysUntilFull).toBe(expected);
  });

  it("measures a directory under the roots: hard links once, symlinks not followed", async () => {
    const result = await ok<{
      sizeBytes: number;
      children: Array<{ path: string; sizeBytes: number; children?: unknown[] }>;
      partial: boolean;
    }>(jarvis, "storage_dir_size", { path: join(root, "media"), depth: 2 });
    const movies = result.children.find((c) => c.path.endsWith("/movies"))!;
    const music = result.children.find((c) => c.path.endsWith("/music"))!;
    expect(result.children[0]!.path).toMatch(/movies$/);
    expect(movies.sizeBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(movies.sizeBytes).toBeLessThan(3.5 * 1024 * 1024);
    expect(music.sizeBytes).toBeGreaterThanOrEqual(512 * 1024);
    expect(result.sizeBytes).toBeLessThan(4.5 * 1024 * 1024); // the escape symlink's 1 MiB target is not counted
    expect(movies.children).toHaveLength(2);
    expect(result.partial).toBe(false);
  });

  it("refuses paths outside the roots, '..' and symlinks that escape", async () => {
    const call = (path: string) => refusal(jarvis.runTool({ tool: "storage_dir_size", args: { path } }, api));
    expect((await call(outside)).message).toMatch(/outside the allowed roots/);
    expect((await call(`${root}/media/../../`)).message).toMatch(/may not contain ".."/);
    const escaped = await call(join(root, "media/escape"));
    expect(escaped.message).toMatch(new RegExp(`resolves to ${outside}.*outside the allowed roots`));
    expect((await call("media")).message).toMatch(/must be absolute/);
    expect((await call(join(root, "nope"))).code).toBe("not_found");
    const [audit] = await jarvis.audit.list({ tool: "storage_dir_size", limit: 1 });
    expect(audit?.outcome).toBe("error");
  });

  it("reads Docker's disk use and plans a cleanup without deleting anything", async () => {
    const usage = await ok<{ host: string; containers: { count: number; reclaimableBytes: number } }>(
      jarvis,
      "storage_docker_usage",
      {},
    );
    expect(usage.host).toBe("local");
    expect(usage.containers.reclaimableBytes).toBeGreaterThanOrEqual(256 * 1024);
    const plan = await ok<{
      items: Array<{ what: string; call: string; bytes: number }>;
      totalReclaimableBytes: number;
    }>(jarvis, "storage_cleanup_plan", {});
    const stopped = plan.items.find((i) => i.call === "docker_prune {what: containers}");
    expect(stopped?.bytes).toBeGreaterThanOrEqual(256 * 1024);
    expect(plan.totalReclaimableBytes).toBe(plan.items.reduce((s, i) => s + i.bytes, 0));
    expect((await docker.getContainer(stoppedName).inspect()).State.Status).toBe("exited");
  });
});
