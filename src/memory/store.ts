import type { LanguageModelV4 } from "@ai-sdk/provider";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { embeddingModels, memories, memoryEmbeddings } from "../db/schema.ts";
import { JarvisError } from "../errors.ts";
import type { Logger } from "../log.ts";
import {
  type Candidate,
  type Consolidation,
  consolidateByThreshold,
  consolidateWithModel,
  RELATED_SIMILARITY,
} from "./consolidate.ts";
import type { Embedder } from "./embedders/types.ts";
import { createMemoryGuard, type MemoryGuard } from "./guard.ts";
import { formatScope, parseScope, scopeForWrite } from "./scope.ts";
import {
  commonTermsSql,
  efSearch,
  filterSql,
  hybridSql,
  memoryColumns,
  modelLiteral,
  nearestSql,
  type SearchFilter,
  textQuery,
  vectorLiteral,
} from "./search.ts";
import { type Memory, MemoryKind, type MemorySource } from "./types.ts";

export interface MemoryStoreDeps {
  db: Db;
  embedder: Embedder;
  log: Logger;
  /** With a language model, consolidation asks it first (thresholds are the fallback). */
  llm?: LanguageModelV4;
  /** Refuses secrets and system-prompt text; a default guard (secrets only) otherwise. */
  guard?: MemoryGuard;
}

export interface RememberInput {
  text: string;
  kind?: MemoryKind;
  /** `global`, `host:nas-box`, `service:plex`, `entity:…`, `user:…`, or a bare service name. */
  scope?: string;
  source?: MemorySource;
  expiresAt?: Date;
}

export interface RememberResult {
  /** added | updated (said the same as an existing one) | superseded (closed a contradicted fact) | unchanged */
  action: "added" | "updated" | "superseded" | "unchanged";
  memory: Memory;
  /** The fact whose validity was closed, or the memory that was updated. */
  previous?: Memory;
}

export interface RecallInput {
  query: string;
  scope?: string;
  kinds?: readonly MemoryKind[];
  limit?: number;
  /** Drop vector matches below this cosine similarity (full-text matches always count). */
  minSimilarity?: number;
  /** Count this as an access (default true). */
  touch?: boolean;
  signal?: AbortSignal;
}

export interface ListInput {
  kind?: MemoryKind;
  scope?: string;
  limit?: number;
  offset?: number;
  /** Include closed facts and expired memories. */
  includeClosed?: boolean;
}

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;
const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : new Date(value as string).toISOString();

/** `mem_12` (or `12`) → 12; anything else is not a memory id. */
export function parseMemoryId(id: string): number {
  const match = /^(?:mem_)?(\d{1,15})$/.exec(id.trim());
  if (!match)
    throw new JarvisError("not_found", `No memory ${id}: memory ids look like mem_12 (see memory_recall)`);
  return Number(match[1]);
}

function toMemory(row: Row): Memory {
  return {
    id: `mem_${row.id}`,
    text: String(row.text),
    kind: row.kind as MemoryKind,
    scope: formatScope(String(row.scope_type), (row.scope_value as string | null) ?? null),
    source: row.source_type
      ? { type: String(row.source_type), id: (row.source_id as string) ?? undefined }
      : null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    validFrom: iso(row.valid_from)!,
    validTo: iso(row.valid_to),
    expiresAt: iso(row.expires_at),
    accessCount: Number(row.access_count),
    lastAccessedAt: iso(row.last_accessed_at),
    ...(row.score !== undefined ? { score: Number(Number(row.score).toFixed(5)) } : {}),
  };
}

function checkText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new JarvisError("invalid_input", "A memory needs some text");
  if (trimmed.length > 4000) throw new JarvisError("invalid_input", "A memory is at most 4000 characters");
  return trimmed;
}

/**
 * Long-term memory on Postgres + pgvector: hybrid recall (HNSW vector search fused with full-text
 * search), consolidating writes, and embeddings per model so a model change re-embeds in the
 * background without losing anything.
 */
export function createMemoryStore(deps: MemoryStoreDeps) {
  const { db, embedder, log } = deps;
  const guard = deps.guard ?? createMemoryGuard();
  const indexed = new Set<string>();
  let background: Promise<unknown> | undefined;
  let stopped = false;

  const run = async (query: SQL) => rowsOf(await db.execute(query));

  /** Refreshes the statistics full-text search uses to skip common terms, every few hundred writes. */
  let writesSinceAnalyze = 0;
  let commonTerms: string[] | undefined;
  /** About how many memories there are (from ANALYZE): bigger tables need a wider HNSW search. */
  let rowsEstimate = 0;
  async function analyze(): Promise<void> {
    writesSinceAnalyze = 0;
    await run(sql`ANALYZE memories`);
    commonTerms = (await run(commonTermsSql())).map((r) => String(r.e));
    const [stats] = await run(sql`SELECT reltuples FROM pg_class WHERE oid = 'memories'::regclass`);
    rowsEstimate = Math.max(0, Number(stats?.reltuples ?? 0));
  }
  function wrote(): void {
    if (++writesSinceAnalyze >= 500) {
      analyze().catch((error) => log.warn("ANALYZE memories failed", { error: (error as Error).message }));
    }
  }

  async function embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors = await embedder.embed(texts, signal);
    if (vectors.length) await registerModel(vectors[0]!.length);
    return vectors;
  }

  let registered = false;
  async function registerModel(dims: number): Promise<void> {
    if (registered) return;
    await db
      .insert(embeddingModels)
      .values({ name: embedder.name, dims, state: "active" })
      .onConflictDoUpdate({ target: embeddingModels.name, set: { state: "active" } });
    await run(
      sql`UPDATE embedding_models SET state = 'retired' WHERE name <> ${embedder.name} AND state <> 'retired'`,
    );
    registered = true;
  }

  function dims(): number {
    const known = embedder.dims;
    if (!known) throw new JarvisError("unavailable", `The dimensions of ${embedder.name} are not known yet`);
    return known;
  }

  /**
   * Creates the model's partial HNSW index (on the embedding cast to its dimensions) once the model
   * has rows. Building after a bulk load is much faster than growing the index row by row.
   */
  async function ensureIndex(): Promise<void> {
    if (indexed.has(embedder.name) || !embedder.dims) return;
    const any = await run(sql`SELECT 1 FROM memory_embeddings WHERE model = ${embedder.name} LIMIT 1`);
    if (any.length === 0) return;
    const slug = embedder.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .slice(0, 40);
    const hash = [...embedder.name]
      .reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7)
      .toString(36);
    const name = sql.raw(`memory_embeddings_hnsw_${slug}_${hash}`);
    const d = sql.raw(String(Math.trunc(dims())));
    // pgvector builds far faster when the graph fits in maintenance_work_mem.
    await run(sql`SET maintenance_work_mem = '256MB'`).catch(() => {});
    await run(sql`CREATE INDEX IF NOT EXISTS ${name} ON memory_embeddings
      USING hnsw ((embedding::vector(${d})) vector_cosine_ops) WITH (m = 32, ef_construction = 128)
      WHERE model = ${modelLiteral(embedder.name)}`);
    indexed.add(embedder.name);
  }

  /** Runs a vector query with a wide enough HNSW candidate list. */
  async function withEf<T>(k: number, fn: (tx: Db) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${efSearch(k, rowsEstimate)}`));
      return fn(tx as unknown as Db);
    });
  }

  async function getRow(id: number): Promise<Row | undefined> {
    return (await run(sql`SELECT ${memoryColumns} FROM memories m WHERE m.id = ${id}`))[0];
  }

  async function candidatesFor(
    vector: string,
    scope: { type: string; value: string | null },
  ): Promise<Candidate[]> {
    const rows = await withEf(20, (tx) =>
      tx.execute(sql`SELECT m.id, m.text, m.kind, n.distance FROM (${nearestSql(embedder.name, dims(), vector, 20)}) n
        JOIN memories m ON m.id = n.id
        WHERE ${filterSql()} AND m.scope_type = ${scope.type} AND m.scope_value IS NOT DISTINCT FROM ${scope.value}
        ORDER BY n.distance LIMIT 5`),
    );
    return rowsOf(rows).map((r) => ({
      id: Number(r.id),
      text: String(r.text),
      kind: String(r.kind),
      similarity: 1 - Number(r.distance),
    }));
  }

  async function putEmbedding(tx: Db, memoryId: number, vector: number[]): Promise<void> {
    const embedding = vectorLiteral(vector);
    await tx
      .insert(memoryEmbeddings)
      .values({ memoryId, model: embedder.name, dims: vector.length, embedding })
      .onConflictDoUpdate({
        target: [memoryEmbeddings.memoryId, memoryEmbeddings.model],
        set: { embedding, dims: vector.length, createdAt: new Date() },
      });
  }

  async function insertOne(
    tx: Db,
    input: RememberInput & { kind: MemoryKind },
    vector: number[],
  ): Promise<number> {
    const scope = scopeForWrite(input.scope);
    const [row] = await tx
      .insert(memories)
      .values({
        text: input.text,
        kind: input.kind,
        scopeType: scope.type,
        scopeValue: scope.value,
        sourceType: input.source?.type,
        sourceId: input.source?.id,
        expiresAt: input.expiresAt,
      })
      .returning({ id: memories.id });
    await putEmbedding(tx, row!.id, vector);
    return row!.id;
  }

  async function remember(input: RememberInput, signal?: AbortSignal): Promise<RememberResult> {
    const text = checkText(input.text);
    guard.check(text);
    const kind = MemoryKind.parse(input.kind ?? "fact");
    const scope = scopeForWrite(input.scope);
    const [vector] = await embed([text], signal);
    const literal = vectorLiteral(vector!);
    await ensureIndex();
    const candidates = (await candidatesFor(literal, scope)).filter(
      (c) => c.similarity >= RELATED_SIMILARITY,
    );
    const decision: Consolidation = deps.llm
      ? await consolidateWithModel(deps.llm, text, kind, candidates, log, signal)
      : consolidateByThreshold(text, kind, candidates);
    const previous = "target" in decision ? await getRow(decision.target) : undefined;
    const id = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      switch (decision.action) {
        case "noop":
          return decision.target;
        case "update":
          await tx.execute(
            sql`UPDATE memories SET text = ${text}, kind = ${kind}, updated_at = now() WHERE id = ${decision.target}`,
          );
          // Other models' vectors describe the old wording: re-embedding recomputes them if needed.
          await tx.execute(
            sql`DELETE FROM memory_embeddings WHERE memory_id = ${decision.target} AND model <> ${embedder.name}`,
          );
          await putEmbedding(tx, decision.target, vector!);
          return decision.target;
        case "supersede":
          await tx.execute(
            sql`UPDATE memories SET valid_to = now(), updated_at = now() WHERE id = ${decision.target}`,
          );
          return insertOne(tx, { ...input, text, kind }, vector!);
        default:
          return insertOne(tx, { ...input, text, kind }, vector!);
      }
    });
    await ensureIndex();
    const memory = toMemory((await getRow(id))!);
    const action = ({ add: "added", update: "updated", supersede: "superseded", noop: "unchanged" } as const)[
      decision.action
    ];
    log.debug("memory written", { id: memory.id, action });
    wrote();
    // An updated memory's previous wording; a superseded fact as it is now (its validity closed).
    const before = previous && decision.action === "supersede" ? await getRow(decision.target) : previous;
    return { action, memory, ...(before ? { previous: toMemory(before) } : {}) };
  }

  async function recall(input: RecallInput): Promise<Memory[]> {
    const limit = Math.min(Math.max(input.limit ?? 5, 1), 50);
    const scope = input.scope ? parseScope(input.scope) : undefined;
    const filter: SearchFilter = { scope, kinds: input.kinds };
    let vector: string | undefined;
    try {
      const [v] = await embed([input.query], input.signal);
      // A query of stop words only has no direction: cosine distance to it is undefined.
      vector = v?.some((x) => x !== 0) ? vectorLiteral(v) : undefined;
    } catch (error) {
      log.warn("memory recall without vectors: the embedder failed", { error: (error as Error).message });
    }
    commonTerms ??= (await run(commonTermsSql())).map((r) => String(r.e));
    const query = hybridSql({
      common: commonTerms,
      model: embedder.name,
      dims: embedder.dims ?? 0,
      vector: embedder.dims ? vector : undefined,
      text: textQuery(input.query),
      filter,
      limit,
      candidates: Math.max(limit * 4, 40),
      maxDistance: input.minSimilarity === undefined ? undefined : 1 - input.minSimilarity,
    });
    const rows = rowsOf(await withEf(limit, (tx) => tx.execute(query)));
    if (rows.length && input.touch !== false) {
      const ids = rows.map((r) => Number(r.id));
      await run(sql`UPDATE memories SET access_count = access_count + 1, last_accessed_at = now()
        WHERE id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`);
    }
    return rows.map(toMemory);
  }

  /** Bulk insert without consolidation (imports, the bench); returns the new ids. */
  async function addMany(
    items: readonly RememberInput[],
    options: { batch?: number } = {},
  ): Promise<string[]> {
    const batch = options.batch ?? 500;
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += batch) {
      const slice = items.slice(i, i + batch).map((item) => {
        const text = checkText(item.text);
        guard.check(text);
        return {
          ...item,
          text,
          kind: MemoryKind.parse(item.kind ?? "fact"),
          scope: scopeForWrite(item.scope),
        };
      });
      const vectors = await embed(slice.map((item) => item.text));
      await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const rows = await tx
          .insert(memories)
          .values(
            slice.map((item) => ({
              text: item.text,
              kind: item.kind,
              scopeType: item.scope.type,
              scopeValue: item.scope.value,
              sourceType: item.source?.type,
              sourceId: item.source?.id,
              expiresAt: item.expiresAt,
            })),
          )
          .returning({ id: memories.id });
        await tx.insert(memoryEmbeddings).values(
          rows.map((row, j) => ({
            memoryId: row.id,
            model: embedder.name,
            dims: vectors[j]!.length,
            embedding: vectorLiteral(vectors[j]!),
          })),
        );
        ids.push(...rows.map((row) => `mem_${row.id}`));
      });
    }
    await ensureIndex();
    await analyze();
    return ids;
  }

  async function list(input: ListInput = {}): Promise<{ memories: Memory[]; total: number }> {
    const filter = filterSql({
      scope: input.scope ? parseScope(input.scope) : undefined,
      kinds: input.kind ? [input.kind] : undefined,
      includeClosed: input.includeClosed,
    });
    const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
    const rows = await run(sql`SELECT ${memoryColumns} FROM memories m WHERE ${filter}
      ORDER BY m.updated_at DESC, m.id DESC LIMIT ${limit} OFFSET ${Math.max(input.offset ?? 0, 0)}`);
    const [count] = await run(sql`SELECT count(*)::int AS n FROM memories m WHERE ${filter}`);
    return { memories: rows.map(toMemory), total: Number(count?.n ?? 0) };
  }

  async function get(id: string): Promise<Memory> {
    const row = await getRow(parseMemoryId(id));
    if (!row) throw new JarvisError("not_found", `No memory ${id}`);
    return toMemory(row);
  }

  async function update(
    id: string,
    changes: { text?: string; kind?: MemoryKind; scope?: string; expiresAt?: Date | null },
  ): Promise<Memory> {
    const current = await get(id);
    const n = parseMemoryId(id);
    const text = changes.text === undefined ? undefined : checkText(changes.text);
    if (text !== undefined) guard.check(text);
    const scope = changes.scope === undefined ? undefined : scopeForWrite(changes.scope);
    const vector = text !== undefined && text !== current.text ? (await embed([text]))[0] : undefined;
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const sets: SQL[] = [sql`updated_at = now()`];
      if (text !== undefined) sets.push(sql`text = ${text}`);
      if (changes.kind) sets.push(sql`kind = ${MemoryKind.parse(changes.kind)}`);
      if (scope) sets.push(sql`scope_type = ${scope.type}`, sql`scope_value = ${scope.value}`);
      if (changes.expiresAt !== undefined)
        sets.push(sql`expires_at = ${changes.expiresAt?.toISOString() ?? null}`);
      await tx.execute(sql`UPDATE memories SET ${sql.join(sets, sql`, `)} WHERE id = ${n}`);
      if (vector) {
        await tx.execute(
          sql`DELETE FROM memory_embeddings WHERE memory_id = ${n} AND model <> ${embedder.name}`,
        );
        await putEmbedding(tx, n, vector);
      }
    });
    await ensureIndex();
    return get(id);
  }

  async function forget(id: string): Promise<Memory> {
    const memory = await get(id);
    await run(sql`DELETE FROM memories WHERE id = ${parseMemoryId(id)}`);
    return memory;
  }

  /**
   * Embeds every memory that has no vector for the configured model yet, in batches. Vectors of
   * other models stay until replaced, so a model change never loses anything.
   */
  async function reembed(
    options: { batch?: number; progress?: (done: number) => Promise<void> } = {},
  ): Promise<number> {
    let done = 0;
    for (;;) {
      if (stopped) break;
      const rows = await run(sql`SELECT m.id, m.text FROM memories m
        WHERE NOT EXISTS (SELECT 1 FROM memory_embeddings e WHERE e.memory_id = m.id AND e.model = ${embedder.name})
        ORDER BY m.id LIMIT ${options.batch ?? 64}`);
      if (rows.length === 0) break;
      const vectors = await embed(rows.map((r) => String(r.text)));
      await db.transaction(async (tx) => {
        for (const [i, row] of rows.entries())
          await putEmbedding(tx as unknown as Db, Number(row.id), vectors[i]!);
      });
      done += rows.length;
      await options.progress?.(done);
    }
    await ensureIndex();
    if (done) log.info("memories re-embedded", { model: embedder.name, count: done });
    return done;
  }

  async function status() {
    const [counts] = await run(sql`SELECT
      (SELECT count(*)::int FROM memories) AS memories,
      (SELECT count(*)::int FROM memory_embeddings WHERE model = ${embedder.name}) AS embedded`);
    const models = await run(sql`SELECT e.name, e.dims, e.state,
      (SELECT count(*)::int FROM memory_embeddings x WHERE x.model = e.name) AS rows
      FROM embedding_models e ORDER BY e.created_at`);
    const total = Number(counts?.memories ?? 0);
    const embedded = Number(counts?.embedded ?? 0);
    return {
      model: embedder.name,
      dims: embedder.dims ?? null,
      memories: total,
      embedded,
      pending: total - embedded,
      models: models.map((m) => ({
        name: String(m.name),
        dims: Number(m.dims),
        state: String(m.state),
        rows: Number(m.rows),
      })),
    };
  }

  return {
    embedder,
    remember,
    recall,
    addMany,
    list,
    get,
    update,
    forget,
    reembed,
    status,
    ensureIndex,
    /** Starts re-embedding in the background when memories lack vectors of the configured model. */
    start(): void {
      stopped = false;
      background = analyze()
        .then(() => reembed())
        .catch((error) =>
          log.warn("re-embedding memories failed; it is retried at the next start", {
            error: (error as Error).message,
          }),
        );
    },
    /** Stops background re-embedding after its current batch and waits for it. */
    async stop(): Promise<void> {
      stopped = true;
      await background;
    },
    /** Waits for background re-embedding (tests, import scripts). */
    async idle(): Promise<void> {
      await background;
    },
  };
}
export type MemoryStore = ReturnType<typeof createMemoryStore>;
