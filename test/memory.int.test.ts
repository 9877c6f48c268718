import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/database.ts";
import { silentLogger } from "../src/log.ts";
import { createLexicalEmbedder } from "../src/memory/embedders/lexical.ts";
import { nearestSql, vectorLiteral } from "../src/memory/search.ts";
import { createMemoryStore } from "../src/memory/store.ts";
import { startPgliteServer } from "./helpers/pglite-server.ts";

const rowsOf = (result: unknown) => (result as { rows: Array<Record<string, unknown>> }).rows;
/** The text of an EXPLAIN. */
const planOf = (result: unknown) =>
  rowsOf(result)
    .map((r) => Object.values(r)[0])
    .join("\n");

/** Opens the same persistent database again, on each driver. */
interface Backend {
  open(): Promise<Database>;
  /** Closes everything that keeps the data, so the next open is a real restart. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

function pgliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "jarvis-memory-"));
  return {
    open: () => openDatabase({ dataDir: dir }),
    restart: async () => {},
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "jarvis-memory-pg-"));
  let server: Awaited<ReturnType<typeof startPgliteServer>> | undefined;
  return {
    open: async () => {
      server ??= await startPgliteServer({ dataDir: dir });
      return openDatabase({ dataDir: dir, url: server.url });
    },
    restart: async () => {
      await server?.stop();
      server = undefined;
    },
    cleanup: async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ["pglite", pgliteBackend],
  ["node-postgres (pglite-socket)", postgresBackend],
] as const)("memory store on %s", (_name, makeBackend) => {
  const backend = makeBackend();
  let database: Database;
  const embedder = createLexicalEmbedder(384);
  const open = async () => {
    database = await backend.open();
    return createMemoryStore({ db: database.db, embedder, log: silentLogger });
  };
  afterAll(async () => {
    await database?.close().catch(() => {});
    await backend.cleanup();
  });

  it("adds, dedupes, supersedes a contradicted fact, filters by scope and validity, forgets", async () => {
    const store = await open();
    const nas = await store.remember({
      text: "The NAS is only on between 8am and midnight",
      scope: "host:nas326",
    });
    expect(nas.action).toBe("added");
    expect(nas.memory).toMatchObject({ kind: "fact", scope: "host:nas326", validTo: null });

    const again = await store.remember({
      text: "the NAS is only on between 8am and midnight.",
      scope: "host:nas326",
    });
    expect(again).toMatchObject({ action: "updated", memory: { id: nas.memory.id } });
    expect((await store.list()).total).toBe(1);

    const ip = await store.remember({ text: "The plex server IP is 192.168.1.50", scope: "service:plex" });
    const moved = await store.remember({ text: "The plex server IP is 192.168.1.77", scope: "service:plex" });
    expect(moved.action).toBe("superseded");
    expect(moved.previous).toMatchObject({ id: ip.memory.id });
    expect(moved.previous?.validTo).not.toBeNull();
    // The old fact is closed, not deleted: history lists it, recall does not.
    const history = await store.list({ includeClosed: true, scope: "service:plex" });
    expect(history.memories.map((m) => m.text)).toEqual(
      expect.arrayContaining(["The plex server IP is 192.168.1.50", "The plex server IP is 192.168.1.77"]),
    );
    const recalled = await store.recall({ query: "what is the plex server ip?" });
    expect(recalled[0]?.text).toBe("The plex server IP is 192.168.1.77");
    expect(recalled.map((m) => m.id)).not.toContain(ip.memory.id);

    await store.remember({
      text: "Backups to the NAS run nightly at 02:00",
      scope: "global",
      kind: "runbook",
    });
    await store.remember({ text: "The pi runs pihole for DNS", scope: "host:pi" });
    const onNas = await store.recall({ query: "nas pi backups", scope: "host:nas326", limit: 10 });
    expect(onNas.map((m) => m.scope).sort()).toEqual(["global", "host:nas326"]);
    const runbooks = await store.recall({ query: "nas backups", kinds: ["runbook"], limit: 10 });
    expect(runbooks.map((m) => m.kind)).toEqual(["runbook"]);

    const expired = await store.remember({
      text: "Sonarr is in maintenance mode this afternoon",
      expiresAt: new Date(Date.now() - 1000),
    });
    expect((await store.recall({ query: "sonarr maintenance" })).map((m) => m.id)).not.toContain(
      expired.memory.id,
    );

    const counted = await store.get(nas.memory.id);
    expect(counted.accessCount).toBeGreaterThan(0);
    expect(counted.lastAccessedAt).not.toBeNull();

    await store.forget(nas.memory.id);
    await expect(store.get(nas.memory.id)).rejects.toThrow(/No memory/);
    await expect(store.forget(nas.memory.id)).rejects.toThrow(/No memory/);
    await expect(store.forget("not-an-id")).rejects.toThrow(/look like mem_12/);
    const [left] = rowsOf(
      await database.db.execute(
        sql`SELECT count(*)::int AS n FROM memory_embeddings WHERE memory_id = ${Number(nas.memory.id.slice(4))}`,
      ),
    );
    expect(left?.n).toBe(0);
  });

  it("refuses secrets and changes nothing", async () => {
    const store = await open();
    const before = (await store.list({ includeClosed: true })).total;
    await expect(store.remember({ text: "the root password is Tr0ub4dor&3" })).rejects.toThrow(/secret/);
    await expect(store.remember({ text: "   " })).rejects.toThrow(/needs some text/);
    expect((await store.list({ includeClosed: true })).total).toBe(before);
  });

  it("uses the model's HNSW index for the vector half", async () => {
    const store = await open();
    await store.addMany(
      Array.from({ length: 300 }, (_, i) => ({
        text: `container c${i} on host h${i % 7} restarted ${i} times`,
      })),
    );
    const [q] = await embedder.embed(["container restarted on host h3"]);
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return planOf(await tx.execute(sql`EXPLAIN ${nearestSql(embedder.name, 384, vectorLiteral(q!), 10)}`));
    });
    expect(plan).toMatch(/Index Scan using memory_embeddings_hnsw_lexical_384_\w+ on memory_embeddings/);
    // The planner picks the index without being pushed, too.
    const plain = await database.db.execute(
      sql`EXPLAIN ${nearestSql(embedder.name, 384, vectorLiteral(q!), 10)}`,
    );
    expect(planOf(plain)).toMatch(/Index Scan using memory_embeddings_hnsw/);
    const hits = await store.recall({ query: "c42 restarted", limit: 3 });
    expect(hits[0]?.text).toBe("container c42 on host h0 restarted 42 times");
  });

  it("keeps memories across a restart and re-embeds after a model change without losing any", async () => {
    const store = await open();
    const total = (await store.list({ includeClosed: true, limit: 500 })).total;
    expect(total).toBeGreaterThan(300);
    await database.close();
    await backend.restart();

    database = await backend.open();
    const same = createMemoryStore({ db: database.db, embedder, log: silentLogger });
    expect((await same.list({ includeClosed: true })).total).toBe(total);
    expect((await same.recall({ query: "pihole dns" }))[0]?.text).toBe("The pi runs pihole for DNS");

    const other = createLexicalEmbedder(256);
    const switched = createMemoryStore({ db: database.db, embedder: other, log: silentLogger });
    expect(await switched.status()).toMatchObject({ model: "lexical-256", pending: total, embedded: 0 });
    // Until re-embedded, full-text search still finds memories.
    expect((await switched.recall({ query: "pihole dns" }))[0]?.text).toBe("The pi runs pihole for DNS");
    switched.start();
    await switched.idle();
    const status = await switched.status();
    expect(status).toMatchObject({ pending: 0, embedded: total });
    expect(status.models).toEqual(
      expect.arrayContaining([
        { name: "lexical-384", dims: 384, state: "retired", rows: total },
        { name: "lexical-256", dims: 256, state: "active", rows: total },
      ]),
    );
    const [q] = await other.embed(["pihole"]);
    const plan = await database.db.execute(
      sql`EXPLAIN ${nearestSql("lexical-256", 256, vectorLiteral(q!), 5)}`,
    );
    expect(planOf(plan)).toMatch(/Index Scan using memory_embeddings_hnsw_lexical_256/);
    expect((await switched.recall({ query: "pihole dns" }))[0]?.text).toBe("The pi runs pihole for DNS");
  });
});
