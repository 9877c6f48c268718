/** A sample of one filesystem's use. */
export interface Sample {
  at: Date;
  usedBytes: number;
  sizeBytes: number;
}

export interface Trend {
  /** Growth fitted over the samples (least squares); negative when it shrinks. */
  bytesPerDay: number;
  samples: number;
  since: string;
  /** Days until no free space is left at that rate; null when it is not growing. */
  daysUntilFull: number | null;
}

const dayMs = 86_400_000;

/**
 * The growth trend from samples: a least-squares line through (time, used bytes). Needs two
 * samples at least an hour apart; otherwise there is no trend to speak of (undefined).
 */
export function fitTrend(samples: readonly Sample[], freeBytes: number): Trend | undefined {
  if (samples.length < 2) return undefined;
  const sorted = [...samples].sort((a, b) => a.at.getTime() - b.at.getTime());
  const t0 = sorted[0]!.at.getTime();
  const span = sorted.at(-1)!.at.getTime() - t0;
  if (span < 3_600_000) return undefined;
  const xs = sorted.map((s) => (s.at.getTime() - t0) / dayMs);
  const ys = sorted.map((s) => s.usedBytes);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return {
    bytesPerDay: Math.round(slope),
    samples: n,
    since: sorted[0]!.at.toISOString(),
    daysUntilFull: slope > 0 ? Math.round((freeBytes / slope) * 10) / 10 : null,
  };
}
