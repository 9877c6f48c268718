import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { and, desc, eq, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "./db/database.ts";
import { instances } from "./db/schema.ts";
import type { Logger } from "./log.ts";

export type InstanceRow = typeof instances.$inferSelect;

export interface InstancesOptions {
  db: Db;
  role: string;
  /** A process silent this long is gone: its "running" work may be marked interrupted. */
  timeoutMs: number;
  log: Logger;
}

/**
 * This process's entry in the `instances` table, renewed every quarter of the timeout, so that
 * another process never marks this one's running tool calls, agent runs or backups interrupted
 * while it lives. Times are the database's (`now()`), so clocks of different machines do not matter.
 */
export function createInstances(options: InstancesOptions) {
  const { db, timeoutMs, log } = options;
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  let timer: ReturnType<typeof setInterval> | undefined;
  /** The ids of the processes alive now, as a subquery (evaluated inside the statement using it). */
  const live: SQL = sql`SELECT id FROM instances WHERE seen_at > now() - ${timeoutMs} * interval '1 millisecond'`;

  const beat = async () => {
    const rows = await db
      .update(instances)
      .set({ seenAt: sql`now()` })
      .where(eq(instances.id, id))
      .returning({ id: instances.id });
    // Gone from the table (a long pause, then someone pruned it): register again.
    if (!rows.length) await register();
  };
  const register = async () => {
    await db
      .insert(instances)
      .values({ id, role: options.role, host: hostname(), pid: process.pid })
      .onConflictDoUpdate({ target: instances.id, set: { seenAt: sql`now()` } });
  };

  return {
    /** This process: `<host>:<pid>:<random>`, written as the owner of the work it starts. */
    id,
    live,
    /** Registers this process and keeps it alive until `stop()`. */
    async start(): Promise<void> {
      await register();
      timer = setInterval(
        () => void beat().catch((error) => log.warn("instance heartbeat failed", { error: String(error) })),
        Math.max(50, Math.floor(timeoutMs / 4)),
      );
      timer.unref();
    },
    /** The processes alive now, newest first. */
    async list(): Promise<InstanceRow[]> {
      return db
        .select()
        .from(instances)
        .where(sql`${instances.id} IN (${live})`)
        .orderBy(desc(instances.startedAt));
    },
    /**
     * Forgets every other process: for a caller that knows none can be alive (it holds the embedded
     * database's data directory lock), so a restart right after a crash need not wait out the timeout.
     */
    async forgetOthers(): Promise<number> {
      const rows = await db.delete(instances).where(ne(instances.id, id)).returning({ id: instances.id });
      return rows.length;
    },
    /** Forgets processes of this host whose pid no longer exists (dead now, whatever their last beat). */
    async forgetDeadHere(): Promise<number> {
      const here = await db
        .select({ id: instances.id, pid: instances.pid })
        .from(instances)
        .where(and(eq(instances.host, hostname()), ne(instances.id, id)));
      let forgotten = 0;
      for (const row of here) {
        if (pidExists(row.pid)) continue;
        await db.delete(instances).where(eq(instances.id, row.id));
        forgotten++;
      }
      return forgotten;
    },
    /** Forgets processes gone for a day (their work was marked interrupted long before). */
    async prune(): Promise<number> {
      const rows = await db
        .delete(instances)
        .where(sql`${instances.seenAt} < now() - interval '1 day'`)
        .returning({ id: instances.id });
      return rows.length;
    },
    /** Stops renewing and leaves the table (a clean shutdown). */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await db
        .delete(instances)
        .where(eq(instances.id, id))
        .catch(() => {});
    },
  };
}
export type Instances = ReturnType<typeof createInstances>;

/** Whether a process with this pid exists here (EPERM: it does, as another user). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A row's owner is gone: it has none (written before owners existed) or is not alive now. */
export function ownerGone(owner: SQL | unknown, live: SQL): SQL {
  return sql`(${owner} IS NULL OR ${owner} NOT IN (${live}))`;
}
