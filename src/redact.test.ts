import { describe, expect, it } from "vitest";
import { redact } from "./redact.ts";
import { Secret } from "./secret.ts";

describe("redact", () => {
  it("hides secret-named keys and Secret values at any depth", () => {
    const out = redact({
      user: "bob",
      password: "hunter2",
      nested: [{ apiKey: "k", token: new Secret("t"), note: "ok" }],
    });
    expect(out).toEqual({
      user: "bob",
      password: "***",
      nested: [{ apiKey: "***", token: "***", note: "ok" }],
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter2/);
  });

  it("prints Secrets as *** however they are printed", () => {
    const s = new Secret("hunter2");
    expect(`${s}`).toBe("***");
    expect(JSON.stringify({ s })).toBe('{"s":"***"}');
    expect(s.reveal()).toBe("hunter2");
  });
});
