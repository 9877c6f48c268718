import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { execInContainer } from "./container-exec.ts";
import { backupsOf } from "./list.ts";
import { DbRestoreInput } from "./schemas.ts";

/**
 * db_restore: pg_restore of a dump from a snapshot into a database (the original, or a named target
 * that is created when missing). A target that already holds tables is refused unless overwrite.
 */
export const dbRestore = defineTool({
  name: "db_restore",
  title: "Restore database",
  description:
    'Restores a database from a backup snapshot (an id from db_list/backup_list, or "latest") with pg_restore, into the database itself or into target (created when it does not exist). A target that already holds tables is refused unless overwrite is true, which replaces its objects: their current data is lost.',
  input: DbRestoreInput,
  risk: "destructive",
  target: (input) => input.target ?? input.database,
  timeoutMs: 7 * 86_400_000,
  async run(input, ctx) {
    const backups = backupsOf(ctx.clients);
    const db = backups.database(input.database);
    const repo = await backups.databaseRepo(db);
    const snapshots = await backups.restic.snapshots(repo, { tag: `db:${db.name}`, signal: ctx.signal });
    const snapshot =
      input.backup === "latest" ? snapshots.at(-1) : snapshots.find((s) => s.id.startsWith(input.backup));
    const dumpPath = snapshot?.paths.find((p) => p.endsWith(`/${db.name}.dump`));
    if (!snapshot || !dumpPath) {
      const known =
        snapshots
          .slice(-5)
          .map((s) => `${s.shortId} (${s.time})`)
          .join(", ") || "none";
      throw new JarvisError(
        "not_found",
        `No backup ${input.backup} of the ${db.name} database; recent: ${known}`,
      );
    }
    const server = await backups.serverOf(db);
    const target = input.target ?? db.database;
    const exists = await backups.postgres.exists(server, target);
    const relations = exists ? await backups.postgres.relationCount(server, target) : 0;
    if (relations > 0 && !input.overwrite)
      throw new JarvisError(
        "conflict",
        `The ${target} database is not empty (${relations} ${relations === 1 ? "table, view or sequence" : "tables, views or sequences"}). Nothing was changed: restore into another target, or pass overwrite: true to replace its objects (their current data is lost).`,
      );
    const dir = await mkdtemp(join(tmpdir(), "jarvis-db-restore-"));
    try {
      await backups.restic.restore(repo, snapshot.id, dir, { include: dumpPath, signal: ctx.signal });
      if (!exists) await backups.postgres.createDatabase(server, target);
      const password = server.password?.reveal();
      const options = [
        `--username=${db.user}`,
        `--dbname=${target}`,
        "--no-password",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        ...(relations > 0 ? ["--clean", "--if-exists"] : []),
      ];
      if (db.container) {
        // The server's own pg_restore (its version matches), reading the dump on stdin.
        const docker = ctx.clients.docker.get(db.container.host).docker;
        await execInContainer(docker, db.container.name, ["pg_restore", ...options], {
          env: password ? { PGPASSWORD: password } : {},
          stdinFile: join(dir, dumpPath),
          signal: ctx.signal,
          timeoutMs: 86_400_000,
        });
      } else {
        await backups.program(
          "pg_restore",
          [`--host=${db.host}`, `--port=${db.port}`, ...options, join(dir, dumpPath)],
          {
            env: password ? { PGPASSWORD: password } : {},
            timeoutMs: 86_400_000,
            signal: ctx.signal,
            redact: password ? [password] : [],
          },
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    ctx.log.info("database restored", { database: db.name, snapshot: snapshot.shortId, target });
    return {
      database: db.name,
      snapshot: snapshot.shortId,
      time: snapshot.time,
      restoredInto: target,
      created: !exists,
      replaced: relations > 0,
      relations: await backups.postgres.relationCount(server, target),
    };
  },
});
