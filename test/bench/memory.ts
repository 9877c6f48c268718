import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { silentLogger } from "../../src/log.ts";
import { createLexicalEmbedder } from "../../src/memory/embedders/lexical.ts";
import {
  efSearch,
  exactNearestSql,
  nearestSql,
  textQuery,
  textSql,
  vectorLiteral,
} from "../../src/memory/search.ts";
import { createMemoryStore } from "../../src/memory/store.ts";
import { startPgliteServer } from "../helpers/pglite-server.ts";
import { corpus, queries } from "./memory-corpus.ts";
import { percentile, round, time } from "./stats.ts";

const K = 10;
/** A candidate list wider than the store's, measured alongside to show what more search buys. */
const WIDE_EF_SEARCH = 1000;
/** Distances this close are the same distance (float4 vectors). */
const TIE_EPSILON = 1e-6;
const rowsOf = (result: unknown) => (result as { rows: Array<Record<string, unknown>> }).rows;
type Hit = { id: number; distance: number };
const hit = (row: Record<string, unknown>): Hit => ({ id: Number(row.id), distance: Number(row.distance) });

async function measure(database: Database, size: number, queryCount: number) {
  const embedder = createLexicalEmbedder(384);
  const store = createMemoryStore({ db: database.db, embedder, log: silentLogger });
  const items = corpus(size);
  const ingestMs = await time(() => store.addMany(items));

  const asked = queries(queryCount);
  const vectors = await embedder.embed(asked);
  const nearest = async (q: string, ef: number) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${ef}`));
      return rowsOf(await tx.execute(nearestSql(embedder.name, 384, q, K))).map(hit);
    });
  const wide = WIDE_EF_SEARCH;
  const recall = { byId: 0, tieAware: 0, wideById: 0, wideTieAware: 0 };
  let tied = 0;
  for (const [i, v] of vectors.entries()) {
    const q = vectorLiteral(v);
    // K + 1 exact neighbours: the extra one shows whether the K-th distance is shared (a tie).
    const exact = rowsOf(await database.db.execute(exactNearestSql(embedder.name, 384, q, K + 1))).map(hit);
    if (i === 0 && exact.length < K) throw new Error(`exact search found ${exact.length} rows`);
    const kth = exact[K - 1]!.distance;
    if (exact[K] && exact[K].distance <= kth + TIE_EPSILON) tied += 1;
    const score = (found: Hit[]) => ({
      byId: exact.slice(0, K).filter((e) => found.some((f) => f.id === e.id)).length,
      tieAware: found.filter((f) => f.distance <= kth + TIE_EPSILON).length,
    });
    const usual = score(await nearest(q, efSearch(K, size)));
    const wider = score(await nearest(q, wide));
    recall.byId += usual.byId;
    recall.tieAware += usual.tieAware;
    recall.wideById += wider.byId;
    recall.wideTieAware += wider.tieAware;
  }
  const share = (hits: number) => round(hits / (vectors.length * K), 4);

  // Warm up, then time each half alone and the full hybrid recall (embedding included).
  for (const q of asked.slice(0, 10)) await store.recall({ query: q, limit: K, touch: false });
  const hybrid: number[] = [];
  const vectorOnly: number[] = [];
  const textOnly: number[] = [];
  for (const [i, q] of asked.entries()) {
    hybrid.push(await time(() => store.recall({ query: q, limit: K, touch: false })));
    const literal = vectorLiteral(vectors[i]!);
    vectorOnly.push(
      await time(() =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${efSearch(K, size)}`));
          await tx.execute(nearestSql(embedder.name, 384, literal, K * 4));
        }),
      ),
    );
    const text = textQuery(q);
    if (text) textOnly.push(await time(() => database.db.execute(textSql(text, K * 4))));
  }
  const ms = (xs: number[]) => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
  return {
    size,
    queries: queryCount,
    ingest: { seconds: round(ingestMs / 1000, 1), rows_per_s: Math.round(size / (ingestMs / 1000)) },
    ef_search: efSearch(K, size),
    recall_at_10: share(recall.tieAware),
    recall_at_10_by_id: share(recall.byId),
    queries_tied_at_10th: tied,
    [`recall_at_10_ef_search_${wide}`]: {
      tie_aware: share(recall.wideTieAware),
      by_id: share(recall.wideById),
    },
    hybrid_recall_ms: ms(hybrid),
    vector_half_ms: ms(vectorOnly),
    text_half_ms: ms(textOnly),
  };
}

/**
 * Memory: ingest rate, recall@10 of the HNSW vector search against exact brute-force search (a
 * sequential scan), and query latency of the hybrid recall and of each half, on embedded PGlite and
 * on the node-postgres path (a PGlite served over pglite-socket). Sizes from
 * JARVIS_BENCH_MEMORY_SIZES (default 10000; e.g. `10000,100000`).
 */
export async function benchMemory(options: { sizes?: number[]; queries?: number; drivers?: string[] } = {}) {
  const sizes = options.sizes ?? [10_000];
  const queryCount = options.queries ?? 200;
  const drivers = options.drivers ?? ["pglite", "node-postgres"];
  const results: Record<string, unknown>[] = [];
  for (const size of sizes) {
    if (drivers.includes("pglite")) {
      const database = await openDatabase({ dataDir: "memory://" });
      try {
        results.push({ driver: "pglite (in memory)", ...(await measure(database, size, queryCount)) });
      } finally {
        await database.close();
      }
    }
    if (drivers.includes("node-postgres")) {
      const server = await startPgliteServer();
      const database = await openDatabase({ dataDir: "", url: server.url });
      try {
        results.push({
          driver: "node-postgres over pglite-socket",
          ...(await measure(database, size, queryCount)),
        });
      } finally {
        await database.close();
        await server.stop();
      }
    }
  }
  return {
    what: "lexical-384 embeddings; HNSW (m 32, ef_construction 128, ef_search 400 up to 1000 from 40k rows: rows / 100) vs exact scan; hybrid = vector + full-text, RRF",
    recall:
      "recall_at_10 counts a returned memory as found when its distance is within the 10 exact nearest ones' (ties at the 10th distance are equally correct answers, as in ann-benchmarks); recall_at_10_by_id requires the very ids the exact scan happened to return",
    targets: { recall_at_10: 0.95, hybrid_p50_ms_at_10k_pglite: 25 },
    runs: results,
  };
}
