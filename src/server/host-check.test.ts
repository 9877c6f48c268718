import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { JarvisError } from "../errors.ts";
import { hostCheck } from "./host-check.ts";

const app = new Hono()
  .onError((error, c) => c.text(error.message, error instanceof JarvisError ? 403 : 500))
  .use(hostCheck({ allowedHosts: ["jarvis.lan"], allowedOrigins: ["https://ide.lan"] }))
  .get("/", (c) => c.text("ok"));

const status = async (headers: Record<string, string>) =>
  (await app.request("http://x/", { headers })).status;

describe("hostCheck", () => {
  it("allows loopback names, IP addresses and configured names", async () => {
    for (const host of [
      "localhost:8750",
      "127.0.0.1:8750",
      "[::1]:8750",
      "192.168.1.20:8750",
      "jarvis.lan",
      "jarvis.lan:8750",
    ]) {
      expect(await status({ host }), host).toBe(200);
    }
  });

  it("refuses a name that could be rebound to us", async () => {
    expect(await status({ host: "evil.example:8750" })).toBe(403);
    expect(await status({ host: "localhost.evil.example" })).toBe(403);
  });

  it("allows same-origin, loopback and configured origins, and refuses others", async () => {
    expect(await status({ host: "192.168.1.20:8750", origin: "http://192.168.1.20:8750" })).toBe(200);
    expect(await status({ host: "127.0.0.1:8750", origin: "http://localhost:5173" })).toBe(200);
    expect(await status({ host: "127.0.0.1:8750", origin: "https://ide.lan" })).toBe(200);
    expect(await status({ host: "127.0.0.1:8750", origin: "https://evil.example" })).toBe(403);
    expect(await status({ host: "127.0.0.1:8750", origin: "null" })).toBe(403);
  });
});
