import { describe, expect, it } from "vitest";
import { envObject, redactArgs } from "./inspect-container.ts";

describe("envObject", () => {
  it("hides values of secret-looking keys and passwords inside URLs", () => {
    const env = envObject([
      "DB_PASSWORD=hunter2",
      "API_KEY=abc",
      "PLEX_TOKEN=t0k",
      "TZ=Europe/Paris",
      "DATABASE_URL=postgres://app:s3cret@db:5432/app",
      "EMPTY_PASSWORD=",
      "FLAG",
      "EQUATION=a=b",
    ]);
    expect(env).toEqual({
      DB_PASSWORD: "***",
      API_KEY: "***",
      PLEX_TOKEN: "***",
      TZ: "Europe/Paris",
      DATABASE_URL: "postgres://app:***@db:5432/app",
      EMPTY_PASSWORD: "",
      FLAG: "",
      EQUATION: "a=b",
    });
    expect(JSON.stringify(env)).not.toMatch(/hunter2|s3cret|t0k/);
  });
});

describe("redactArgs", () => {
  it("hides values of secret-looking flags in both spellings", () => {
    expect(redactArgs(["server", "--password=hunter2", "--api-key", "abc", "--port", "80"])).toEqual([
      "server",
      "--password=***",
      "--api-key",
      "***",
      "--port",
      "80",
    ]);
    expect(redactArgs(null)).toBeNull();
  });
});
