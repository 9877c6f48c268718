import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { JarvisError } from "../src/errors.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createBackupScheduler } from "../src/tools/backups/scheduler.ts";
import { requireBinary } from "./helpers/binaries.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { okResult as ok, refusal } from "./helpers/tool-calls.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

interface JobView {
  job: string;
  lastRun: { status: string; error?: string } | null;
  lastSuccess: string | null;
  running?: { stage: string; progress: { percent: number; bytesDone: number; totalBytes: number } | null };
  snapshots?: Array<{ id: string; time: string; paths: string[] }>;
}

describe("backups with the real restic binary", () => {
  requireBinary("restic", "restic");
  let jarvis: Jarvis;
  const root = mkdtempSync(join(tmpdir(), "jarvis-backups-"));
  const source = join(root, "config");
  const repo = join(root, "repo");
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const volumeName = `jarvis-backup-vol-${inject("testRunId")}`;
  const appName = `jarvis-backup-app-${inject("testRunId")}`;

  beforeAll(async () => {
    mkdirSync(join(source, "sub"), { recursive: true });
    writeFileSync(join(source, "settings.yaml"), "answer: 42\n");
    // Enough data that restic reports progress (twice a second) before it finishes.
    writeFileSync(join(source, "sub/blob.bin"), randomBytes(48 * 1024 * 1024));
    jarvis = await createTestJarvis({
      config: testConfig({
        storage: { roots: [root], sampleMinutes: 0, trendDays: 14 },
        policy: { rules: [{ tool: "backup_run", action: "allow" }] },
        backups: {
          jobs: [
            {
              name: "media-config",
              repository: repo,
              paths: [source],
              volumes: [],
              databases: [],
              keep: { daily: 1 },
            },
            { name: "wrong-key", repository: repo, paths: [source], volumes: [], databases: [] },
            {
              name: "app-volume",
              repository: join(root, "volume-repo"),
              paths: [],
              volumes: [{ name: volumeName, stopContainer: appName }],
              databases: [],
            },
            {
              name: "nightly",
              repository: join(root, "nightly-repo"),
              paths: [join(source, "settings.yaml")],
              volumes: [],
              databases: [],
              schedule: "0 3 * * *",
            },
          ],
          databases: [],
          timeoutMinutes: 10,
        },
      }),
    });
    await jarvis.clients.secrets!.put("restic/media-config", "correct horse battery staple");
    await jarvis.clients.secrets!.put("restic/wrong-key", "not the password");
    await jarvis.clients.secrets!.put("restic/nightly", "nightly password");
    await jarvis.clients.secrets!.put("restic/app-volume", "volume password");
  });
  afterAll(async () => {
    await docker
      .getContainer(appName)
      .remove({ force: true })
      .catch(() => {});
    await docker
      .getVolume(volumeName)
      .remove()
      .catch(() => {});
    await jarvis?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("runs a job into a new repository, with progress visible while it runs", async () => {
    const pending = ok<{ status: string; snapshotId: string; totalFiles: number }>(jarvis, "backup_run", {
      job: "media-config",
    });
    const seen: JobView[] = [];
    let done = false;
    void pending.finally(() => {
      done = true;
    });
    while (!done) {
      const { jobs } = await ok<{ jobs: JobView[] }>(jarvis, "backup_list", {});
      if (jobs[0]?.running) seen.push(jobs[0]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await pending;
    expect(result).toMatchObject({ status: "ok", totalFiles: 2 });
    expect(result.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    const withProgress = seen.find((v) => v.running?.progress);
    expect(withProgress?.running?.progress).toMatchObject({ totalBytes: expect.any(Number) });
    // Two at once: one runs, the other is refused; never two copies of the same job.
    const both = await Promise.allSettled([
      jarvis.runTool({ tool: "backup_run", args: { job: "media-config" } }, api),
      jarvis.runTool({ tool: "backup_run", args: { job: "media-config" } }, api),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = both.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((refused.reason as JarvisError).message).toMatch(/already running/);
  });

  it("lists the snapshots and last success, and verifies the repository", async () => {
    const view = await ok<JobView>(jarvis, "backup_list", { job: "media-config" });
    expect(view.lastRun?.status).toBe("ok");
    expect(view.lastSuccess).not.toBeNull();
    expect(view.snapshots?.length).toBeGreaterThanOrEqual(1);
    expect(view.snapshots![0]!.paths).toEqual([source]);
    const verified = await ok<{ ok: boolean; check: string }>(jarvis, "backup_verify", {
      job: "media-config",
    });
    expect(verified.ok).toBe(true);
  });

  it("applies retention after a run (keep_daily 1)", async () => {
    const result = await ok<{ retention: { removed: number; kept: number } }>(jarvis, "backup_run", {
      job: "media-config",
    });
    expect(result.retention.kept).toBe(1);
    const view = await ok<JobView>(jarvis, "backup_list", { job: "media-config" });
    expect(view.snapshots).toHaveLength(1);
  });

  it("restores only after approval, only under the roots, byte for byte", async () => {
    const target = join(root, "restore");
    const asked = await jarvis.runTool(
      { tool: "backup_restore", args: { job: "media-config", snapshot: "latest", target_path: target } },
      api,
    );
    expect(asked.status).toBe("approval_required");
    if (asked.status !== "approval_required") return;
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run?.status).toBe("ok");
    expect(sha(join(target, source, "sub/blob.bin"))).toBe(sha(join(source, "sub/blob.bin")));
    expect(readFileSync(join(target, source, "settings.yaml"), "utf8")).toBe("answer: 42\n");

    const outside = await jarvis.runTool(
      {
        tool: "backup_restore",
        args: { job: "media-config", snapshot: "latest", target_path: "/etc/jarvis-restore" },
      },
      api,
    );
    expect(outside.status).toBe("approval_required");
    if (outside.status !== "approval_required") return;
    const error = await refusal(
      jarvis.decideApproval(outside.approval.id, { decision: "approve" }, adminPrincipal),
    );
    expect(error.message).toMatch(/outside the allowed roots/);
  });

  it("a wrong repository password fails clearly and opens an incident", async () => {
    const error = await refusal(jarvis.runTool({ tool: "backup_run", args: { job: "wrong-key" } }, api));
    expect(error.message).toMatch(/refused the password/);
    expect(error.message).not.toContain("not the password");
    const view = await ok<JobView>(jarvis, "backup_list", { job: "wrong-key" });
    expect(view.lastRun).toMatchObject({ status: "failed" });
    let incident: { title: string } | undefined;
    for (let i = 0; i < 50 && !incident; i++) {
      const { incidents } = await ok<{ incidents: Array<{ title: string; target?: string }> }>(
        jarvis,
        "incidents_list",
        {},
      );
      incident = incidents.find((x) => /wrong-key|backup/i.test(JSON.stringify(x)));
      if (!incident) await new Promise((r) => setTimeout(r, 100));
    }
    expect(incident).toBeDefined();
  });

  it("the scheduler runs a job when its cron time has passed since its last run, once", async () => {
    const boot = new Date(2026, 0, 1, 2, 0);
    const scheduler = createBackupScheduler({
      backups: jarvis.clients.backups!,
      log: silentLogger,
      startedAt: boot,
    });
    expect(await scheduler.tick(new Date(2026, 0, 1, 2, 59))).toEqual([]);
    expect(await scheduler.tick(new Date(2026, 0, 1, 3, 0))).toEqual(["nightly"]);
    expect(await scheduler.tick(new Date(2026, 0, 1, 3, 0))).toEqual([]); // running: never a second copy
    await scheduler.idle();
    const view = await ok<JobView & { runs: Array<{ trigger: string; status: string }>; nextRun: string }>(
      jarvis,
      "backup_list",
      { job: "nightly" },
    );
    expect(view.runs).toEqual([expect.objectContaining({ trigger: "schedule", status: "ok" })]);
    expect(new Date(view.nextRun).getHours()).toBe(3);
    // The run just recorded is the last one: the next is tomorrow at 03:00, not due now.
    expect(await scheduler.tick(new Date())).toEqual([]);
  });

  it("backs up a Docker volume of the real engine with its container stopped, and starts it again", async () => {
    await docker.createVolume({ Name: volumeName, Labels: { [testLabel]: inject("testRunId") } });
    const app = await docker.createContainer({
      Image: testImage,
      name: appName,
      Cmd: ["sh", "-c", "echo volume-data > /data/hello.txt && sleep 3600"],
      Labels: { [testLabel]: inject("testRunId") },
      HostConfig: { NetworkMode: "none", Binds: [`${volumeName}:/data`] },
    });
    await app.start();
    const { Mountpoint } = (await docker.getVolume(volumeName).inspect()) as unknown as {
      Mountpoint: string;
    };
    for (let i = 0; i < 100; i++) {
      try {
        if (readFileSync(join(Mountpoint, "hello.txt"), "utf8")) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const startedBefore = (await app.inspect()).State.StartedAt;
    const result = await ok<{ status: string; totalFiles: number }>(jarvis, "backup_run", {
      job: "app-volume",
    });
    expect(result).toMatchObject({ status: "ok", totalFiles: 1 });
    const after = await app.inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(startedBefore); // it was stopped for the copy
    const view = await ok<JobView>(jarvis, "backup_list", { job: "app-volume" });
    expect(view.snapshots![0]!.paths).toEqual([Mountpoint]);
  });

  it("unknown jobs and missing passwords are clear errors", async () => {
    const unknown = await refusal(jarvis.runTool({ tool: "backup_run", args: { job: "nope" } }, api));
    expect(unknown.message).toMatch(
      /No backup job "nope"; jobs: media-config, wrong-key, app-volume, nightly/,
    );
    await jarvis.clients.secrets!.delete("restic/wrong-key");
    const missing = await refusal(jarvis.runTool({ tool: "backup_verify", args: { job: "wrong-key" } }, api));
    expect(missing.message).toMatch(/No secret named "restic\/wrong-key"/);
  });
});
