import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { backupTools } from "../../src/tools/backups/index.ts";
import { storageTools } from "../../src/tools/storage/index.ts";
import { percentile, round, time } from "./stats.ts";

const run = promisify(execFile);
const principal = { id: "bench", name: "bench", role: "operator" } as const;

/**
 * Storage and backups against their raw tools in the same run: storage_dir_size through the gate
 * vs `du -sxB1` on the same tree, and backup_run (secret store, runner, restic --json parsing,
 * run rows) vs `restic backup` called directly on the same data into a fresh repository each time.
 */
export async function benchStorage(options: { calls: number }) {
  const root = mkdtempSync(join(tmpdir(), "jarvis-bench-storage-"));
  const tree = join(root, "tree");
  for (let d = 0; d < 20; d++) {
    mkdirSync(join(tree, `d${d}`, "sub"), { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(join(tree, `d${d}`, "sub", `f${f}`), randomBytes(2048));
  }
  const data = join(root, "data");
  mkdirSync(data);
  for (let f = 0; f < 8; f++) writeFileSync(join(data, `blob${f}`), randomBytes(4 * 1024 * 1024));
  const rounds = Math.max(3, Math.min(8, Math.round(options.calls / 50)));
  const password = "bench password";
  const config = {
    ...loadConfig({ JARVIS_DATA_DIR: "memory://" }, "/"),
    dataDir: "memory://",
    storage: { roots: [root], sampleMinutes: 0, trendDays: 14 },
    policy: { rules: [{ tool: "backup_run", action: "allow" as const }] },
    backups: {
      jobs: Array.from({ length: rounds }, (_, i) => ({
        name: `bench${i}`,
        repository: join(root, `jarvis-repo-${i}`),
        paths: [data],
        volumes: [],
        databases: [],
      })),
      databases: [],
      timeoutMinutes: 30,
    },
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, {
    log: silentLogger,
    database,
    tools: [...storageTools, ...backupTools],
  });
  try {
    const du: number[] = [];
    const dirSize: number[] = [];
    for (let i = 0; i < 20; i++) {
      du.push(await time(() => run("du", ["-sxB1", tree])));
      dirSize.push(
        await time(() =>
          jarvis.runTool({ tool: "storage_dir_size", args: { path: tree } }, { source: "api", principal }),
        ),
      );
    }
    const rawBackup: number[] = [];
    const jarvisBackup: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const env = {
        ...process.env,
        RESTIC_REPOSITORY: join(root, `raw-repo-${i}`),
        RESTIC_PASSWORD: password,
        RESTIC_CACHE_DIR: join(root, "cache"),
      };
      await run("restic", ["init", "--quiet"], { env });
      rawBackup.push(
        await time(() =>
          run("restic", ["backup", "--json", "--quiet", data], { env, maxBuffer: 64 * 1024 * 1024 }),
        ),
      );
      await jarvis.clients.secrets!.put(`restic/bench${i}`, password);
      // Initialised outside the timing, as the baseline's; each run still probes its repository.
      const backups = jarvis.clients.backups!;
      await backups.restic.ensureRepository(await backups.repoOf(backups.job(`bench${i}`)));
      jarvisBackup.push(
        await time(() =>
          jarvis.runTool({ tool: "backup_run", args: { job: `bench${i}` } }, { source: "api", principal }),
        ),
      );
    }
    const p50 = (v: number[]) => round(percentile(v, 50), 1);
    return {
      dirSize: {
        entries: 20 * 51 + 21,
        duP50Ms: p50(du),
        jarvisP50Ms: p50(dirSize),
        ratio: round(percentile(dirSize, 50) / percentile(du, 50), 2),
      },
      backup: {
        bytes: 8 * 4 * 1024 * 1024,
        rounds,
        resticP50Ms: p50(rawBackup),
        jarvisP50Ms: p50(jarvisBackup),
        ratio: round(percentile(jarvisBackup, 50) / percentile(rawBackup, 50), 2),
        note: "both into a fresh, initialised repository; jarvis adds the gate, the secret store, progress parsing and run rows",
      },
    };
  } finally {
    await jarvis.close();
    await database.close();
    rmSync(root, { recursive: true, force: true });
  }
}
