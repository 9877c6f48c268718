import { describe, expect, it } from "vitest";
import { efSearch } from "./search.ts";

describe("efSearch", () => {
  it("keeps 400 for small tables, grows with the table, and stays within pgvector's 1000", () => {
    expect(efSearch(10, 0)).toBe(400);
    expect(efSearch(10, 10_000)).toBe(400);
    expect(efSearch(10, 60_000)).toBe(600);
    expect(efSearch(10, 100_000)).toBe(1000);
    expect(efSearch(10, 5_000_000)).toBe(1000);
    expect(efSearch(80, 0)).toBe(800);
    expect(efSearch(500, 0)).toBe(1000);
  });
});
