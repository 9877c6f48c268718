import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { requireBinary } from "./helpers/binaries.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { type Postgres, startPostgres } from "./helpers/postgres.ts";
import { okResult as ok, refusal } from "./helpers/tool-calls.ts";

const api = { source: "api", principal: operatorPrincipal } as const;

/** The rows of the test tables, in a stable order, for comparing a database with its restore. */
const contents = async (pg: Postgres, database: string) => ({
  customers: await pg.query("SELECT id, name, email FROM customers ORDER BY id", [], database),
  orders: await pg.query("SELECT id, customer_id, total::text FROM orders ORDER BY id", [], database),
});

/** PostgreSQL dumps into restic and db_* tools, against Debian's PostgreSQL 15 and the real restic. */
describe("database backups with real PostgreSQL and restic", { timeout: 120_000 }, () => {
  requireBinary("restic", "restic");
  requireBinary("pg_dump", "postgresql");
  let pg: Postgres;
  let jarvis: Jarvis;
  const root = mkdtempSync(join(tmpdir(), "jarvis-db-backups-"));

  const restore = async (args: Record<string, unknown>) => {
    const asked = await jarvis.runTool({ tool: "db_restore", args }, api);
    expect(asked.status).toBe("approval_required");
    if (asked.status !== "approval_required") throw new Error(asked.status);
    return jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
  };

  beforeAll(async () => {
    pg = await startPostgres();
    await pg.query("CREATE DATABASE shop");
    await pg.query("CREATE DATABASE scratch");
    await pg.query(
      `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text);
       CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2));
       INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.org' FROM generate_series(1, 500) g;
       INSERT INTO orders (customer_id, total) SELECT 1 + g % 500, (g * 7 % 1000) / 10.0 FROM generate_series(1, 3000) g;`,
      [],
      "shop",
    );
    jarvis = await createTestJarvis({
      config: testConfig({
        storage: { roots: [root], sampleMinutes: 0, trendDays: 14 },
        policy: {
          rules: [
            { tool: "backup_run", action: "allow" },
            { tool: "db_backup", action: "allow" },
          ],
        },
        backups: {
          jobs: [
            {
              name: "shop-nightly",
              repository: join(root, "repo"),
              paths: [],
              volumes: [],
              databases: ["shop"],
            },
          ],
          databases: [
            { name: "shop", host: pg.host, port: pg.port, user: pg.user, database: "shop" },
            {
              name: "locked-out",
              host: pg.host,
              port: pg.port,
              user: pg.user,
              database: "shop",
              repository: join(root, "locked-out-repo"),
            },
          ],
          timeoutMinutes: 10,
        },
      }),
    });
    await jarvis.clients.secrets!.put("postgres/shop", pg.password);
    await jarvis.clients.secrets!.put("restic/shop-nightly", "shop repository password");
    await jarvis.clients.secrets!.put("postgres/locked-out", "not the password");
    await jarvis.clients.secrets!.put("restic/locked-out", "locked-out repository password");
  });
  afterAll(async () => {
    await jarvis?.close();
    await pg?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("a backup job dumps the database into restic, and it restores into a fresh database row for row", async () => {
    const run = await ok<{ status: string; snapshotId: string }>(jarvis, "backup_run", {
      job: "shop-nightly",
    });
    expect(run.status).toBe("ok");
    const decided = await restore({
      database: "shop",
      backup: run.snapshotId.slice(0, 8),
      target: "shop_copy",
    });
    expect(decided.run?.status).toBe("ok");
    expect(decided.run?.status === "ok" && decided.run.result).toMatchObject({
      database: "shop",
      restoredInto: "shop_copy",
      created: true,
      replaced: false,
    });
    const original = await contents(pg, "shop");
    expect(original.customers).toHaveLength(500);
    expect(original.orders).toHaveLength(3000);
    expect(await contents(pg, "shop_copy")).toEqual(original);
  });

  it("db_backup dumps now; a restore over a database with tables is refused unless overwrite, which brings a dropped table back", async () => {
    const dumped = await ok<{ database: string; status: string; snapshotId: string }>(jarvis, "db_backup", {
      database: "shop",
    });
    expect(dumped).toMatchObject({ database: "shop", status: "ok", job: "db:shop" });
    const before = await contents(pg, "shop");
    await pg.query("DROP TABLE orders", [], "shop");

    const refused = await refusal(restore({ database: "shop", backup: "latest" }));
    expect(refused).toMatchObject({ code: "conflict" });
    expect(refused.message).toMatch(
      /shop database is not empty \(1 table, view or sequence\).*overwrite: true/,
    );
    // Nothing changed: the table is still gone, the other still there.
    expect(await pg.query("SELECT to_regclass('orders') AS t", [], "shop")).toEqual([{ t: null }]);

    const replaced = await restore({ database: "shop", backup: "latest", overwrite: true });
    expect(replaced.run?.status).toBe("ok");
    expect(replaced.run?.status === "ok" && replaced.run.result).toMatchObject({
      restoredInto: "shop",
      created: false,
      replaced: true,
    });
    expect(await contents(pg, "shop")).toEqual(before);
  });

  it("db_list shows each database's size and last backup, and what the server holds that no job backs up", async () => {
    const listed = await ok<{
      databases: Array<Record<string, unknown>>;
      servers: Array<{ server: string; notBackedUp?: string[] }>;
    }>(jarvis, "db_list", {});
    const shop = listed.databases.find((d) => d.name === "shop");
    expect(shop).toMatchObject({
      engine: "postgres",
      server: `127.0.0.1:${pg.port}`,
      reachable: true,
      jobs: ["shop-nightly"],
      lastBackup: { status: "ok", run: "db:shop" },
    });
    expect(shop!.sizeBytes).toBeGreaterThan(100_000);
    expect(listed.servers).toEqual([
      { server: `127.0.0.1:${pg.port}`, notBackedUp: expect.arrayContaining(["scratch", "shop_copy"]) },
    ]);
    expect(listed.servers[0]!.notBackedUp).not.toContain("shop");
  });

  it("a wrong database password fails the dump clearly, without the password, and records the failure", async () => {
    const error = await refusal(jarvis.runTool({ tool: "db_backup", args: { database: "locked-out" } }, api));
    expect(error.message).toMatch(/pg_dump failed.*password authentication failed/s);
    expect(error.message).not.toContain("not the password");
    const listed = await ok<{ databases: Array<{ name: string; lastBackup: { status: string } | null }> }>(
      jarvis,
      "db_list",
      {},
    );
    expect(listed.databases.find((d) => d.name === "locked-out")?.lastBackup?.status).toBe("failed");
  });

  it("unknown databases and snapshots are clear errors that change nothing", async () => {
    const unknown = await refusal(jarvis.runTool({ tool: "db_backup", args: { database: "nope" } }, api));
    expect(unknown.message).toMatch(/No database "nope"; databases: shop, locked-out/);
    const missing = await refusal(restore({ database: "shop", backup: "deadbeef", target: "never_made" }));
    expect(missing.message).toMatch(/No backup deadbeef of the shop database; recent: [0-9a-f]{8} \(/);
    expect(await pg.query("SELECT 1 FROM pg_database WHERE datname = 'never_made'")).toEqual([]);
  });
});
