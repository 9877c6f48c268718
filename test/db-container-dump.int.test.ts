import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { requireBinary } from "./helpers/binaries.ts";
import { testLabel } from "./helpers/docker-engine.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { ensurePgClientImage } from "./helpers/pgclient-image.ts";
import { type Postgres, startPostgres } from "./helpers/postgres.ts";
import { okResult as ok, refusal } from "./helpers/tool-calls.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

/**
 * A database that runs in a container is dumped and restored by the container's own pg_dump and
 * pg_restore through the Docker API (exec), so their version is the server's (a deployed
 * postgres:16 cannot be dumped by Debian 12's pg_dump 15). Real engine, real restic, Debian's
 * PostgreSQL reached through its unix socket shared into a container that has only the client tools.
 */
describe("dumping a database inside its container", { timeout: 180_000 }, () => {
  requireBinary("restic", "restic");
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const container = `jt-pgclient-${process.pid}`;
  const root = mkdtempSync(join(tmpdir(), "jarvis-db-container-"));
  let pg: Postgres;
  let jarvis: Jarvis;

  /** What the client tools in the container noted in /tmp/calls. */
  const callsIn = async (name: string): Promise<string[]> => {
    const exec = await docker.getContainer(name).exec({ Cmd: ["cat", "/tmp/calls"], AttachStdout: true });
    const stream = await exec.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    // Multiplexed frames: an 8-byte header (stream, 0, 0, 0, size as uint32 BE) before each payload.
    const all = Buffer.concat(chunks);
    let text = "";
    for (let at = 0; at + 8 <= all.length; at += 8 + all.readUInt32BE(at + 4))
      text += all.subarray(at + 8, at + 8 + all.readUInt32BE(at + 4)).toString();
    return text.split("\n").filter(Boolean);
  };

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.query("CREATE DATABASE inventory");
    await pg.query(
      `CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
       INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;`,
      [],
      "inventory",
    );
    const image = await ensurePgClientImage(docker);
    await docker
      .createContainer({
        name: container,
        Image: image,
        Cmd: ["sleep", "3600"],
        Env: [`PGPORT=${pg.port}`],
        Labels: { [testLabel]: runId },
        HostConfig: { NetworkMode: "none", Binds: [`${pg.socketDir}:/var/run/postgresql`] },
      })
      .then((c) => c.start());
    jarvis = await createTestJarvis({
      config: testConfig({
        storage: { roots: [root], sampleMinutes: 0, trendDays: 14 },
        policy: { rules: [{ tool: "db_backup", action: "allow" }] },
        backups: {
          jobs: [],
          databases: [
            {
              name: "inventory",
              host: pg.host,
              port: pg.port,
              user: pg.user,
              database: "inventory",
              repository: join(root, "repo"),
              container: { name: container },
            },
          ],
          timeoutMinutes: 10,
        },
      }),
    });
    await jarvis.clients.secrets!.put("postgres/inventory", pg.password);
    await jarvis.clients.secrets!.put("restic/inventory", "inventory repository password");
  });
  afterAll(async () => {
    await jarvis?.close();
    await docker
      .getContainer(container)
      .remove({ force: true })
      .catch(() => {});
    await pg?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("backs up with the container's pg_dump and restores a dropped table with its pg_restore", async () => {
    const backup = await ok<Record<string, unknown>>(jarvis, "db_backup", { database: "inventory" });
    expect(backup).toMatchObject({ database: "inventory", status: "ok", job: "db:inventory" });
    await pg.query("DROP TABLE items", [], "inventory");

    const asked = await jarvis.runTool(
      { tool: "db_restore", args: { database: "inventory", backup: "latest" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error(asked.status);
    await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    const rows = await pg.query<{ n: string; last: string }>(
      "SELECT count(*)::text AS n, max(name) AS last FROM items",
      [],
      "inventory",
    );
    expect(rows).toEqual([{ n: "1000", last: "item 999" }]);
    // Both ran inside the container (its wrappers noted them), not as programs on this machine.
    expect(await callsIn(container)).toEqual(["pg_dump", "pg_restore"]);
    const audit = await jarvis.audit.list({ tool: "db_restore" });
    expect(JSON.stringify(audit)).not.toContain(pg.password);
  });

  it("says clearly when the database's container is not running, and runs nothing", async () => {
    await docker.getContainer(container).stop({ t: 1 });
    const failed = await refusal(jarvis.runTool({ tool: "db_backup", args: { database: "inventory" } }, api));
    expect(failed.message).toMatch(new RegExp(`${container} is not running`));
    expect(failed.message).not.toContain(pg.password);
  });
});
