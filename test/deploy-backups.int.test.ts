import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Config } from "../src/config.ts";
import { type Database, openDatabase } from "../src/db/database.ts";
import { createJarvis, type Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { removeDeployedApps } from "./helpers/deployed-apps.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { adminPrincipal, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { freePort } from "./helpers/net.ts";
import { ensurePgClientImage } from "./helpers/pgclient-image.ts";
import { type Postgres, startPostgres } from "./helpers/postgres.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const chat = { source: "chat", principal: operatorPrincipal } as const;

/**
 * A database template on a locally imported image (no registry here, so no real postgres image):
 * healthy once httpd answers. The postgres one has Debian's pg_dump/pg_restore (the dump runs in
 * the container) pointed by PGHOST/PGPORT at the Debian PostgreSQL the test started, standing in
 * for the server in the container; {{port}} stands in for its published port.
 */
const template = (name: string, database: "postgres" | "redis", image = testImage) => `
name: ${name}
description: test database ${name}
image: "${image}"
command: [sh, -c, "echo ok > /data/index.html; exec httpd -f -p 127.0.0.1:{{http}} -h /data"]
params:
  run: { default: "none" }
  port: { default: 5432, pattern: "^[0-9]{2,5}$" }
  http: { default: 8080, pattern: "^[0-9]{2,5}$" }
env:
  POSTGRES_USER: "{{name}}"
  POSTGRES_PASSWORD: "{{secret:password}}"
  PGHOST: 127.0.0.1
  PGPORT: "{{port}}"
network: ${database === "postgres" ? "host" : "none"}
labels:
  ${testLabel}: "{{run}}"
volumes:
  - { name: data, path: /data }
healthcheck:
  test: [CMD, wget, -q, -O, /dev/null, "http://127.0.0.1:{{http}}/"]
  intervalSeconds: 1
  retries: 2
  waitSeconds: 60
database: ${database}
${database === "postgres" ? 'backup:\n  postgres: { user: "{{name}}", database: "{{name}}", port: "{{port}}", password: password }' : ""}
`;

/** deploy_app registers backups for databases; removal offers a backup first. Real Docker, PostgreSQL, restic. */
describe("backups of deployed databases", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const pgApp = `jt-pg-${process.pid}`;
  const kvApp = `jt-kv-${process.pid}`;
  const pgJob = `deploy-local-${pgApp}`;
  const kvJob = `deploy-local-${kvApp}`;
  let pg: Postgres;
  let database: Database;
  let config: Config;
  let jarvis: Jarvis;
  let dir: string;

  const approveWith = async (args: Record<string, unknown>) => {
    const asked = await jarvis.runTool({ tool: "deploy_remove_app", args }, chat);
    if (asked.status !== "approval_required") throw new Error(asked.status);
    return asked;
  };

  beforeAll(async () => {
    pg = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), "jarvis-deploy-backups-"));
    await writeFile(
      join(dir, "pgapp.yaml"),
      template("pgapp", "postgres", await ensurePgClientImage(docker)),
    );
    await writeFile(join(dir, "kv.yaml"), template("kv", "redis"));
    config = {
      // A fixed key: the restart below must read the secrets the first process stored.
      ...testConfig({}, { JARVIS_SECRET_KEY: randomBytes(32).toString("hex") }),
      deploy: { templatesDir: dir },
      policy: {
        rules: [
          { tool: "deploy_app", action: "allow" },
          { tool: "backup_run", action: "allow" },
        ],
      },
      backups: { jobs: [], databases: [], timeoutMinutes: 10, deployRepository: join(dir, "deployed-repo") },
    } as Config;
    database = await openDatabase({ dataDir: "memory://" });
    jarvis = await createJarvis(config, { log: silentLogger, database });
  });
  afterAll(async () => {
    await jarvis?.close();
    await database?.close();
    await pg?.stop();
    await removeDeployedApps(docker, [pgApp, kvApp]);
    await rm(dir, { recursive: true, force: true });
  });

  it("deploying a postgres registers a daily pg_dump job that references the stored credential, never copies it", async () => {
    const deployed = await jarvis.runTool(
      {
        tool: "deploy_app",
        args: {
          template: "pgapp",
          name: pgApp,
          params: { run: runId, port: pg.port, http: await freePort() },
        },
      },
      api,
    );
    if (deployed.status !== "ok") throw new Error(deployed.status);
    expect(deployed.result).toMatchObject({
      status: "healthy",
      backups: { registered: true, job: pgJob, kind: "pg_dump", schedule: "@daily" },
    });
    const secret = (await jarvis.clients.secrets!.require(`deploy/local/${pgApp}/password`)).reveal();
    const rows = await database.db.execute("SELECT name, job, database FROM backup_stored_jobs" as never);
    const stored = JSON.stringify(rows);
    expect(stored).toContain(`deploy/local/${pgApp}/password`);
    expect(stored).not.toContain(secret);
    // What the postgres image does with POSTGRES_PASSWORD, done here on the Debian server.
    await pg.query(`CREATE ROLE "${pgApp}" LOGIN PASSWORD '${secret}'`);
    await pg.query(`CREATE DATABASE "${pgApp}" OWNER "${pgApp}"`);
    await pg.query(
      `CREATE TABLE notes (id int PRIMARY KEY, body text); ALTER TABLE notes OWNER TO "${pgApp}";
       INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 200) g;`,
      [],
      pgApp,
    );

    const listed = await jarvis.runTool({ tool: "deploy_list_apps", args: {} }, api);
    if (listed.status !== "ok") throw new Error(listed.status);
    expect((listed.result as { apps: unknown[] }).apps).toContainEqual(
      expect.objectContaining({
        name: pgApp,
        backup: { job: pgJob, schedule: "@daily", lastSuccess: null, lastRun: null },
      }),
    );
  });

  it("the registered job survives a restart and dumps the database with the stored credential", async () => {
    await jarvis.close();
    jarvis = await createJarvis(config, { log: silentLogger, database });
    expect(jarvis.clients.backups!.jobs.map((j) => j.name)).toContain(pgJob);
    const run = await jarvis.runTool({ tool: "backup_run", args: { job: pgJob } }, api);
    if (run.status !== "ok") throw new Error(run.status);
    expect(run.result).toMatchObject({ status: "ok", totalFiles: 1 });
    const dbs = await jarvis.runTool({ tool: "db_list", args: {} }, api);
    if (dbs.status !== "ok") throw new Error(dbs.status);
    expect((dbs.result as { databases: unknown[] }).databases).toContainEqual(
      expect.objectContaining({
        name: pgJob,
        database: pgApp,
        reachable: true,
        lastBackup: expect.objectContaining({ status: "ok" }),
      }),
    );
  });

  it("removing with keep_data: false says when the last backup was, and backup_first backs up before removing", async () => {
    const plain = await approveWith({ name: pgApp, keep_data: false });
    expect(plain.approval.reason).toMatch(
      new RegExp(
        `This deletes the data of ${pgApp}\\. The last backup \\(job ${pgJob}\\) finished 20\\d\\d-.*backup_first: true`,
      ),
    );
    await jarvis.decideApproval(plain.approval.id, { decision: "deny" }, adminPrincipal);

    const first = await approveWith({ name: pgApp, keep_data: false, backup_first: true });
    expect(first.approval.reason).toMatch(/A backup runs first/);
    const decided = await jarvis.decideApproval(first.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run?.status).toBe("ok");
    expect(decided.run?.status === "ok" && decided.run.result).toMatchObject({
      removedVolumes: [`${pgApp}-data`],
      backupFirst: { job: pgJob, snapshot: expect.stringMatching(/^[0-9a-f]{8,64}$/) },
      backupJobRemoved: { job: pgJob },
    });
    expect(jarvis.clients.backups!.jobs.map((j) => j.name)).not.toContain(pgJob);
    // The snapshots stay in the repository after removal; retention (keep daily 7) kept the newest of today's two.
    const snapshots = await jarvis.clients.backups!.restic.snapshots(
      {
        repository: join(dir, "deployed-repo"),
        password: await jarvis.clients.secrets!.require("restic/deployed"),
      },
      { tag: `job:${pgJob}` },
    );
    const result =
      decided.run?.status === "ok"
        ? (decided.run.result as { backupFirst: { snapshot: string } })
        : undefined;
    expect(snapshots.map((s) => s.shortId)).toEqual([result!.backupFirst.snapshot.slice(0, 8)]);
  });

  it("a database without a dump gets a volume job (container stopped), and an app never backed up says so", async () => {
    const deployed = await jarvis.runTool(
      { tool: "deploy_app", args: { template: "kv", name: kvApp, params: { run: runId } } },
      api,
    );
    if (deployed.status !== "ok") throw new Error(deployed.status);
    expect(deployed.result).toMatchObject({
      backups: { registered: true, job: kvJob, kind: "volumes (container stopped)" },
    });
    const asked = await approveWith({ name: kvApp, keep_data: false });
    expect(asked.approval.reason).toMatch(/It has never been backed up .*backup_first: true/);
    await jarvis.decideApproval(asked.approval.id, { decision: "deny" }, adminPrincipal);

    const first = await approveWith({ name: kvApp, keep_data: false, backup_first: true });
    const decided = await jarvis.decideApproval(first.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run?.status === "ok" && decided.run.result).toMatchObject({
      removedVolumes: [`${kvApp}-data`],
      backupFirst: { job: kvJob, totalBytes: expect.any(Number) },
    });
  });
});
