import { describe, expect, it } from "vitest";
import { fitTrend } from "./trend.ts";

const day = 86_400_000;
const at = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * day);

describe("fitTrend", () => {
  it("fits the growth per day and the days until full", () => {
    const samples = [0, 1, 2, 3, 4].map((d) => ({ at: at(d), usedBytes: 1000 + d * 100, sizeBytes: 10_000 }));
    expect(fitTrend(samples, 2000)).toEqual({
      bytesPerDay: 100,
      samples: 5,
      since: at(0).toISOString(),
      daysUntilFull: 20,
    });
  });

  it("says nothing about full when usage shrinks or stays flat", () => {
    const shrinking = [0, 1, 2].map((d) => ({ at: at(d), usedBytes: 5000 - d * 10, sizeBytes: 10_000 }));
    expect(fitTrend(shrinking, 5000)).toMatchObject({ bytesPerDay: -10, daysUntilFull: null });
  });

  it("needs two samples an hour apart", () => {
    expect(fitTrend([{ at: at(0), usedBytes: 1, sizeBytes: 2 }], 1)).toBeUndefined();
    const close = [0, 1].map((m) => ({
      at: new Date(at(0).getTime() + m * 60_000),
      usedBytes: m,
      sizeBytes: 9,
    }));
    expect(fitTrend(close, 5)).toBeUndefined();
  });
});
