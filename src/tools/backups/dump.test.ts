import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BackupDatabase } from "../../config.ts";
import type { RunProgram } from "../../exec/run-program.ts";
import { silentLogger } from "../../log.ts";
import { Secret } from "../../secret.ts";
import type { SecretStore } from "../../secrets/store.ts";
import type { Postgres } from "./postgres.ts";
import type { Restic } from "./restic.ts";
import type { RunStore } from "./runs.ts";
import { createBackupService } from "./service.ts";

describe("pg_dump's command line", () => {
  it("carries the password only in PGPASSWORD, and the database name after --", async () => {
    const password = "correct-horse-battery";
    const calls: Array<{ program: string; args: readonly string[]; env?: Record<string, string> }> = [];
    const run: RunProgram = async (program, args, options) => {
      calls.push({ program, args, env: options.env });
      return { code: 0, stdout: "", stderr: "", truncated: false, durationMs: 1 };
    };
    const secrets = {
      get: async (name: string) => (name === "postgres/shop" ? new Secret(password) : undefined),
    };
    const db = BackupDatabase.parse({ name: "shop", database: "-shop", user: "app", port: 6543 });
    const dir = mkdtempSync(join(tmpdir(), "jarvis-dump-test-"));
    const service = createBackupService({
      jobs: [],
      databases: [db],
      restic: {} as Restic,
      runs: {} as RunStore,
      secrets: secrets as unknown as SecretStore,
      run,
      postgres: {} as Postgres,
      dumpDir: dir,
      timeoutMs: 1000,
      log: silentLogger,
    });
    await service.dump(db, join(dir, "shop", "shop.dump"));
    rmSync(dir, { recursive: true, force: true });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.program).toBe("pg_dump");
    expect(calls[0]!.args.join(" ")).not.toContain(password);
    expect(calls[0]!.args).toEqual(
      expect.arrayContaining(["--port=6543", "--username=app", "--no-password"]),
    );
    expect(calls[0]!.args.slice(-2)).toEqual(["--", "-shop"]);
    expect(calls[0]!.env).toEqual({ PGPASSWORD: password });
  });
});
