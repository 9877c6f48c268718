import { describe, expect, it } from "vitest";
import { redact, redactText } from "./redact.ts";
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

  it("hides secrets inside free text, and says what it found", () => {
    const { text, found } = redactText(
      "db postgres://app:s3cret@db/app, key sk-abcdefghijklmnopqrstuv, the wifi password is hunter2",
    );
    expect(text).toBe("db postgres://app:***@db/app, key ***, the wifi password is ***");
    expect(found).toEqual(["an API key", "a URL with a password", "a wifi password"]);
    expect(redactText("the wifi password is in bitwarden").found).toEqual([]);
    expect(redact({ note: "token: abcdef0123456789" })).toEqual({ note: "token: ***" });
  });
});
