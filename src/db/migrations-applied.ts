import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Db } from "./database.ts";

const journalPath = fileURLToPath(new URL("./migrations/meta/_journal.json", import.meta.url));

/**
 * Whether the database has every migration this build ships (drizzle records each applied one in
 * `drizzle.__drizzle_migrations` with its journal time). A process on an older build, or a
 * database another process has not finished migrating, is not ready to serve.
 */
export async function migrationsApplied(db: Db): Promise<{ ok: boolean; applied: number; expected: number }> {
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { when: number }[] };
  const expected = journal.entries.length;
  const newest = Math.max(...journal.entries.map((e) => e.when));
  const result = (await db.execute(
    sql`SELECT count(*)::int AS applied, coalesce(max(created_at), 0)::bigint AS newest FROM drizzle.__drizzle_migrations`,
  )) as unknown as { rows: { applied: number; newest: string | number }[] };
  const row = result.rows[0]!;
  return { ok: Number(row.newest) >= newest && row.applied >= expected, applied: row.applied, expected };
}
