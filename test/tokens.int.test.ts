import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";

/** API tokens on the real database: verification, last use (written at most once a minute), revocation. */
describe("API tokens", () => {
  let jarvis: Jarvis;
  beforeAll(async () => {
    jarvis = await createTestJarvis();
  });
  afterAll(async () => {
    await jarvis?.close();
  });

  const lastUsed = async (id: string) =>
    (await jarvis.tokens.list()).find((t) => t.id === id)?.lastUsedAt ?? null;

  it("records the first use, not every use, and refuses a revoked or unknown token", async () => {
    const { id, token } = await jarvis.tokens.create({ name: "voice", role: "operator" });
    expect(await lastUsed(id)).toBeNull();
    expect(await jarvis.tokens.verify(token)).toMatchObject({ name: "voice", role: "operator" });
    const first = await lastUsed(id);
    expect(first).toBeInstanceOf(Date);
    await jarvis.tokens.verify(token);
    expect((await lastUsed(id))?.getTime()).toBe(first!.getTime());
    expect(await jarvis.tokens.verify(`${token}x`)).toBeUndefined();
    await jarvis.tokens.revoke(id);
    expect(await jarvis.tokens.verify(token)).toBeUndefined();
  });
});
