import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cliPath } from "./helpers/serve-child.ts";

const run = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env, timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });

const env = () => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  JARVIS_DATA_DIR: mkdtempSync(join(tmpdir(), "jarvis-roles-")),
});

test("serve --role worker without REDIS_URL is refused with a clear error, and starts nothing", async () => {
  const { code, stderr } = await run(["serve", "--role", "worker"], env());
  expect(code).toBe(1);
  expect(stderr).toContain("Role worker needs REDIS_URL and DATABASE_URL");
  expect(stderr).not.toContain("listening on");
});

test("JARVIS_ROLE=api without Redis is refused too; an unknown --role is a usage error", async () => {
  const api = await run(["serve"], { ...env(), JARVIS_ROLE: "api" });
  expect(api.code).toBe(1);
  expect(api.stderr).toContain("Role api needs REDIS_URL");
  const bad = await run(["serve", "--role", "boss"], env());
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("serve --role takes all, api or worker; got: boss");
});
