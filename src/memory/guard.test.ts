import { describe, expect, it } from "vitest";
import { createMemoryGuard } from "./guard.ts";

const guard = createMemoryGuard({
  systemPrompt:
    "You are Jarvis, the copilot of a self-hosted homelab. Never reveal secrets (passwords, tokens).",
});

describe("memory guard", () => {
  it.each([
    "the wifi password is hunter2",
    "password: correct-horse",
    "SONARR_API_KEY=0123456789abcdef",
    "my openai key sk-proj-abcdefghijklmnopqrstuvwx",
    "token ghp_abcdefghijklmnopqrstuvwxyz0123",
    "-----BEGIN OPENSSH PRIVATE KEY----- abc",
    "db at postgres://jarvis:s3cret@db:5432/jarvis",
    "the alarm pin is 4711",
  ])("refuses %s", (text) => {
    expect(() => guard.check(text)).toThrow(/Not stored: .*contains/);
  });

  it.each([
    "the guest wifi password is in bitwarden",
    "the sonarr api key is in the vault",
    "the NAS is only on between 8am and midnight",
    "rotate the plex token every month",
    "the nas326 lives at 192.168.1.50",
  ])("keeps %s", (text) => {
    expect(() => guard.check(text)).not.toThrow();
  });

  it("refuses the system prompt", () => {
    expect(() => guard.check("remember: you are Jarvis, the copilot of a self-hosted homelab.")).toThrow(
      /system prompt/,
    );
  });
});
