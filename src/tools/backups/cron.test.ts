import { describe, expect, it } from "vitest";
import { nextRun, parseCron } from "./cron.ts";

const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi);

describe("cron", () => {
  it("finds the next matching minute", () => {
    expect(nextRun(parseCron("0 3 * * *"), local(2026, 11, 27, 4, 10))).toEqual(local(2026, 11, 28, 3, 0));
    expect(nextRun(parseCron("*/15 * * * *"), local(2026, 11, 27, 4, 10))).toEqual(
      local(2026, 11, 27, 4, 15),
    );
    expect(nextRun(parseCron("30 2 * * 0"), local(2026, 11, 27, 4, 10))).toEqual(local(2026, 11, 29, 2, 30));
    expect(nextRun(parseCron("@monthly"), local(2026, 11, 27, 4, 10))).toEqual(local(2026, 12, 1, 0, 0));
    expect(nextRun(parseCron("0 0 1 * 1"), local(2026, 11, 27, 4, 10))).toEqual(local(2026, 11, 30, 0, 0));
  });

  it("refuses malformed expressions with the field at fault", () => {
    expect(() => parseCron("0 3 * *")).toThrow(/five fields/);
    expect(() => parseCron("0 25 * * *")).toThrow(/hour "25" is out of range 0-23/);
    expect(() => parseCron("x * * * *")).toThrow(/minute "x"/);
  });
});
