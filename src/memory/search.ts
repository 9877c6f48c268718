import { type SQL, sql } from "drizzle-orm";
import { contentWords } from "./text.ts";
import type { ScopeType } from "./types.ts";

/** Reciprocal rank fusion constant (Cormack et al.): ranks past ~60 barely matter. */
export const RRF_K = 60;

export interface SearchFilter {
  /** A scope to narrow to; global memories always apply too. `type: null` matches any type. */
  scope?: { type: ScopeType | null; value: string | null };
  kinds?: readonly string[];
  /** Include facts whose validity was closed and expired memories (history views). */
  includeClosed?: boolean;
}

/** The columns of a memory row as the store reads them (never the tsv). */
export const memoryColumns = sql.raw(
  "m.id, m.text, m.kind, m.scope_type, m.scope_value, m.source_type, m.source_id, m.created_at, m.updated_at, " +
    "m.valid_from, m.valid_to, m.access_count, m.last_accessed_at, m.expires_at",
);

/** A pgvector literal. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(",")}]`;
}

/** The embedding model as an SQL literal: it must be a literal for the planner to use its partial index. */
export function modelLiteral(model: string): SQL {
  return sql.raw(`'${model.replace(/'/g, "''")}'`);
}

/** WHERE conditions on memories `m`: scope, kind, and validity (not closed, not expired). */
export function filterSql(filter: SearchFilter = {}): SQL {
  const parts: SQL[] = [];
  if (!filter.includeClosed) {
    parts.push(sql`(m.valid_to IS NULL OR m.valid_to > now())`);
    parts.push(sql`(m.expires_at IS NULL OR m.expires_at > now())`);
  }
  const scope = filter.scope;
  if (scope) {
    if (scope.type === "global") parts.push(sql`m.scope_type = 'global'`);
    else if (scope.type === null)
      parts.push(sql`(m.scope_type = 'global' OR m.scope_value = ${scope.value})`);
    else
      parts.push(
        sql`(m.scope_type = 'global' OR (m.scope_type = ${scope.type} AND m.scope_value = ${scope.value}))`,
      );
  }
  if (filter.kinds?.length) {
    parts.push(
      sql`m.kind IN (${sql.join(
        filter.kinds.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
  }
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

/** `embedding::vector(dims) <=> q`: the expression the model's partial HNSW index is built on. */
function distance(dims: number, query: string): SQL {
  const d = sql.raw(String(Math.trunc(dims)));
  return sql`(e.embedding::vector(${d}) <=> ${query}::vector(${d}))`;
}

/**
 * The `n` nearest embeddings of one model, ordered by cosine distance so that the model's HNSW
 * index answers it (run with `hnsw.ef_search` set, see `efSearch`).
 */
export function nearestSql(model: string, dims: number, query: string, n: number): SQL {
  return sql`SELECT e.memory_id AS id, ${distance(dims, query)} AS distance
    FROM memory_embeddings e WHERE e.model = ${modelLiteral(model)}
    ORDER BY distance LIMIT ${n}`;
}

/** The same nearest neighbours by exact search (sequential scan, no index): the bench's ground truth. */
export function exactNearestSql(model: string, dims: number, query: string, n: number): SQL {
  return sql`SELECT id, distance FROM (SELECT e.memory_id AS id, ${distance(dims, query)} + 0 AS distance
    FROM memory_embeddings e WHERE e.model || '' = ${modelLiteral(model)}) x ORDER BY distance LIMIT ${n}`;
}

/**
 * The HNSW candidate list size for a search of `k` among about `rows` embeddings: wide enough for
 * ≥ 0.95 recall. Measured on the bench corpus (tie-aware recall@10): 400 gives 0.994 at 20k rows but
 * 0.947 at 100k, where 1000 gives 0.991; so it grows with the table (rows / 100) up to pgvector's
 * maximum of 1000, and small tables keep the cheaper 400.
 */
export function efSearch(k: number, rows = 0): number {
  return Math.min(1000, Math.max(400, k * 10, Math.ceil(rows / 100)));
}

/** The query text for full-text search, or undefined when it has no content words. */
export function textQuery(query: string): string | undefined {
  const terms = [...new Set(contentWords(query))].slice(0, 16);
  return terms.length ? terms.join(" ") : undefined;
}

/** Terms in more than this share of memories are too common to find anything (after ANALYZE). */
export const COMMON_TERM_FREQUENCY = 0.05;

/**
 * The lexemes Postgres's statistics (`pg_stats.most_common_elems` of the tsv column, kept by
 * ANALYZE) show in more than 5 % of memories, rarest first: too common to find anything.
 */
export function commonTermsSql(): SQL {
  return sql`SELECT e FROM (
      SELECT unnest(most_common_elems::text::text[]) AS e, unnest(most_common_elem_freqs) AS f
      FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'memories' AND attname = 'tsv'
    ) s WHERE e IS NOT NULL AND f > ${COMMON_TERM_FREQUENCY} ORDER BY f`;
}

/**
 * Full-text candidates: memories matching any of the query's discriminating terms, best `ts_rank`
 * first. `common` terms (see `commonTermsSql`, rarest first) are left out, keeping the rarest of
 * them if the query has nothing else, so a question full of everyday words does not rank half the
 * table. Only the `cap` most recent matches are ranked.
 */
export function textSql(query: string, n: number, common: readonly string[] = [], cap = 300): SQL {
  const commons = sql`${`{${common.map((t) => `"${t.replace(/["\\]/g, "")}"`).join(",")}}`}::text[]`;
  return sql`SELECT id, ts_rank(tsv, q) AS rank FROM (
      WITH terms AS (SELECT DISTINCT lexeme FROM unnest(to_tsvector('english', ${query})) u),
      chosen AS (
        SELECT lexeme FROM terms WHERE lexeme <> ALL(${commons})
        UNION ALL
        (SELECT lexeme FROM terms WHERE NOT EXISTS (SELECT 1 FROM terms WHERE lexeme <> ALL(${commons}))
          ORDER BY array_position(${commons}, lexeme) LIMIT 1)
      ),
      tq AS (SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | ')) AS q FROM chosen)
      -- A scalar subquery (an InitPlan parameter), so the GIN index on tsv can answer the match.
      SELECT m.id, m.tsv, (SELECT q FROM tq) AS q FROM memories m
      WHERE m.tsv @@ (SELECT q FROM tq) ORDER BY m.id DESC LIMIT ${cap}
    ) t ORDER BY rank DESC LIMIT ${n}`;
}

export interface HybridOptions {
  model: string;
  dims: number;
  vector?: string;
  text?: string;
  /** Terms too common to search for (`commonTermsSql`). */
  common?: readonly string[];
  filter?: SearchFilter;
  limit: number;
  /** Candidates taken from each half before fusion and filtering. */
  candidates: number;
  /** Vector candidates farther than this (cosine distance) are dropped: unrelated is not "nearest". */
  maxDistance?: number;
}

/**
 * Hybrid search in one statement: vector candidates (HNSW) and full-text candidates, fused by
 * reciprocal rank (k = 60), filtered by scope and validity, with recency and access count
 * breaking ties.
 */
export function hybridSql(o: HybridOptions): SQL {
  const vector = o.vector
    ? sql`SELECT id, row_number() OVER (ORDER BY distance) AS r, distance FROM (${nearestSql(o.model, o.dims, o.vector, o.candidates)}) n
        WHERE ${o.maxDistance === undefined ? sql`TRUE` : sql`distance <= ${o.maxDistance}`}`
    : sql`SELECT NULL::bigint AS id, NULL::bigint AS r, NULL::float8 AS distance WHERE FALSE`;
  const text = o.text
    ? sql`SELECT id, row_number() OVER (ORDER BY rank DESC) AS r FROM (${textSql(o.text, o.candidates, o.common)}) x`
    : sql`SELECT NULL::bigint AS id, NULL::bigint AS r WHERE FALSE`;
  const k = sql.raw(String(RRF_K));
  return sql`WITH v AS (${vector}), t AS (${text}),
    fused AS (
      SELECT coalesce(v.id, t.id) AS id,
        coalesce(1.0 / (${k} + v.r), 0) + coalesce(1.0 / (${k} + t.r), 0) AS score,
        v.distance
      FROM v FULL JOIN t ON v.id = t.id
    )
    SELECT ${memoryColumns}, fused.score, fused.distance FROM fused JOIN memories m ON m.id = fused.id
    WHERE ${filterSql(o.filter)}
    ORDER BY fused.score DESC, m.updated_at DESC, m.access_count DESC
    LIMIT ${o.limit}`;
}
