import { describe, expect, it } from "vitest";
import { truncateOutput } from "./truncate.ts";

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe("truncateOutput", () => {
  it("leaves small values alone", () => {
    const value = { a: [1, 2, 3], b: "x" };
    expect(truncateOutput(value, 1024)).toEqual({ value, truncated: false });
  });

  it("shortens long arrays and says how many items were cut", () => {
    const value = { lines: Array.from({ length: 5000 }, (_, i) => `line ${i}`) };
    const out = truncateOutput(value, 4096);
    expect(out.truncated).toBe(true);
    expect(bytes(out.value)).toBeLessThanOrEqual(4096);
    const lines = (out.value as { lines: string[] }).lines;
    expect(lines[0]).toBe("line 0");
    expect(lines.at(-1)).toMatch(/more items truncated/);
  });

  it("cuts long strings", () => {
    const out = truncateOutput({ text: "x".repeat(100_000) }, 8192);
    expect(out.truncated).toBe(true);
    expect(bytes(out.value)).toBeLessThanOrEqual(8192);
    expect((out.value as { text: string }).text).toMatch(/characters truncated/);
  });

  it("does not modify the input", () => {
    const value = { lines: Array.from({ length: 2000 }, (_, i) => i) };
    truncateOutput(value, 1024);
    expect(value.lines).toHaveLength(2000);
  });
});
