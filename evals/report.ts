import type { CaseResult, RunResults } from "./runner.ts";

/** Per tag: distinct cases, cases that passed every repeat, and the fraction of runs that passed. */
export interface TagSummary {
  cases: number;
  passed: number;
  pass_rate: number;
}

/**
 * The JSON summary `npm run eval -- --json` writes. With k repeats: `passed` counts cases that
 * passed all k runs (`failed` the rest), `pass_rate` is the fraction of all runs that passed (what
 * one run scores on average), `pass_hat_k` the fraction of cases that passed all k runs (pass^k).
 */
export interface Summary {
  model: string;
  cases: number;
  passed: number;
  failed: number;
  pass_rate: number;
  pass_hat_k: number;
  by_tag: Record<string, TagSummary>;
  failures: Array<{ id: string; turn: number; reason: string }>;
  p50_ms: number;
  p95_ms: number;
}

const untagged = "(untagged)";
const ratio = (a: number, b: number): number => (b === 0 ? 0 : Number((a / b).toFixed(4)));

/** Nearest-rank percentile; 0 for no samples. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Number(sorted[rank]!.toFixed(1));
}

function tally(results: readonly CaseResult[]): TagSummary {
  const byCase = new Map<string, boolean>();
  for (const result of results) byCase.set(result.id, (byCase.get(result.id) ?? true) && result.passed);
  const passed = [...byCase.values()].filter(Boolean).length;
  return {
    cases: byCase.size,
    passed,
    pass_rate: ratio(results.filter((r) => r.passed).length, results.length),
  };
}

/** Summarizes a run into the JSON report. */
export function summarize(run: RunResults): Summary {
  const all = tally(run.results);
  const tags = new Map<string, CaseResult[]>();
  for (const result of run.results) {
    for (const tag of result.tags.length > 0 ? result.tags : [untagged]) {
      tags.set(tag, [...(tags.get(tag) ?? []), result]);
    }
  }
  const by_tag = Object.fromEntries(
    [...tags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, rs]) => [tag, tally(rs)]),
  );
  const prefix = (result: CaseResult) => (run.repeat > 1 ? `[repeat ${result.repeat}/${run.repeat}] ` : "");
  const failures = run.results.flatMap((result) =>
    result.failures.map((f) => ({ id: result.id, turn: f.turn, reason: `${prefix(result)}${f.reason}` })),
  );
  const latencies = run.results.flatMap((result) => result.turns.map((turn) => turn.ms));
  return {
    model: run.model,
    cases: all.cases,
    passed: all.passed,
    failed: all.cases - all.passed,
    pass_rate: all.pass_rate,
    pass_hat_k: ratio(all.passed, all.cases),
    by_tag,
    failures,
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;

/** The human report: a table per tag, the totals, every failure and the world's gaps. */
export function formatReport(summary: Summary, run: RunResults): string {
  const rows = Object.entries(summary.by_tag).map(([tag, t]) => [
    tag,
    String(t.cases),
    String(t.passed),
    percent(t.pass_rate),
  ]);
  const header = ["tag", "cases", "passed", "pass rate"];
  const total = ["total", String(summary.cases), String(summary.passed), percent(summary.pass_rate)];
  const widths = header.map((h, i) => Math.max(h.length, ...[...rows, total].map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const out = [`model: ${summary.model}`, "", line(header), rule, ...rows.map(line), rule, line(total), ""];
  if (run.repeat > 1) out.push(`pass^${run.repeat}: ${percent(summary.pass_hat_k)}`);
  out.push(`turn latency: p50 ${summary.p50_ms} ms, p95 ${summary.p95_ms} ms`);
  if (summary.failures.length > 0) {
    out.push("", `failures (${summary.failures.length}):`);
    for (const f of summary.failures) out.push(`- ${f.id} turn ${f.turn}: ${f.reason}`);
  }
  const gaps = new Set(
    run.results.flatMap((r) => r.worldGaps.map((g) => `${g.tool} ${JSON.stringify(g.args)} (${r.id})`)),
  );
  if (gaps.size > 0) {
    out.push("", "world gaps (read calls with no canned answer):");
    for (const gap of gaps) out.push(`- ${gap}`);
  }
  return `${out.join("\n")}\n`;
}
