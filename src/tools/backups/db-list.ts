import { toJarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { backupsOf } from "./list.ts";
import { DbListInput } from "./schemas.ts";

/** db_list: the configured databases with size, backup job and last backup, and what else each server holds. */
export const dbList = defineTool({
  name: "db_list",
  title: "List databases",
  description:
    "Lists the PostgreSQL databases Jarvis backs up (backups.databases): server, size, the jobs that dump them, the last backup (time, status, snapshot) and a dump in flight; and, per server, the other databases there that no job backs up. A server that does not answer is reported, not an error.",
  input: DbListInput,
  risk: "read",
  idempotent: true,
  async run(_input, ctx) {
    const backups = backupsOf(ctx.clients);
    const servers = new Map<
      string,
      { error?: string; databases: Array<{ name: string; sizeBytes: number }> }
    >();
    for (const db of backups.databases) {
      const key = `${db.host}:${db.port}`;
      if (servers.has(key)) continue;
      servers.set(key, { databases: [] });
      try {
        servers.get(key)!.databases = await backups.postgres.databases(await backups.serverOf(db));
      } catch (error) {
        servers.get(key)!.error = toJarvisError(error).message;
      }
    }
    const databases = await Promise.all(
      backups.databases.map(async (db) => {
        const server = servers.get(`${db.host}:${db.port}`)!;
        const keys = [`db:${db.name}`, ...backups.jobsOf(db.name).map((j) => j.name)];
        const runs = (await Promise.all(keys.map((k) => backups.runs.recent(k, 1)))).flat();
        const last = runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
        const inFlight = keys.flatMap((k) => backups.running(k))[0];
        return {
          name: db.name,
          sizeBytes: server.databases.find((d) => d.name === db.database)?.sizeBytes ?? null,
          lastBackup: last
            ? {
                at: (last.finishedAt ?? last.startedAt).toISOString(),
                status: last.status,
                run: last.job,
                snapshot: last.snapshotId,
                ...(last.error ? { error: last.error } : {}),
              }
            : null,
          engine: "postgres",
          server: `${db.host}:${db.port}`,
          database: db.database,
          reachable: !server.error,
          jobs: backups.jobsOf(db.name).map((j) => j.name),
          ...(inFlight ? { running: { stage: inFlight.stage, startedAt: inFlight.startedAt } } : {}),
        };
      }),
    );
    return {
      databases,
      servers: [...servers].map(([address, s]) => ({
        server: address,
        ...(s.error
          ? { error: s.error }
          : {
              notBackedUp: s.databases
                .map((d) => d.name)
                .filter(
                  (n) => n !== "postgres" && !databases.some((d) => d.server === address && d.database === n),
                ),
            }),
      })),
    };
  },
});
