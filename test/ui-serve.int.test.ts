import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { uiBuildStale } from "../src/server/ui-build.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";

describe("serving the built console", () => {
  const dist = mkdtempSync(join(tmpdir(), "jarvis-ui-dist-"));
  let jarvis: Jarvis;

  beforeAll(async () => {
    mkdirSync(join(dist, "assets"));
    writeFileSync(
      join(dist, "index.html"),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(dist, "assets", "app.js"), "console.log(1)");
    jarvis = await createTestJarvis();
  });
  afterAll(async () => {
    await jarvis?.close();
  });

  it("serves index.html and assets with a strict CSP, and nothing outside the folder", async () => {
    const app = createApp(jarvis, { uiDir: dist });
    const index = await app.request("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toContain("text/html");
    const csp = index.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    const asset = await app.request("/assets/app.js");
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await (await app.request("/approvals")).text()).toContain("<!doctype html>");
    expect((await app.request("/assets/missing.js")).status).toBe(404);
    for (const path of ["/../package.json", "/%2e%2e/package.json", "/assets/%2e%2e/%2e%2e/package.json"]) {
      const response = await app.request(path);
      expect(await response.text(), path).not.toContain('"name": "jarvis"');
    }
  });

  it("never answers an API path with the page", async () => {
    const app = createApp(jarvis, { uiDir: dist });
    const response = await app.request("/api/nothing-here");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toContain("application/json");
  });

  it("says how to build when the console is not built", async () => {
    const app = createApp(jarvis, { uiDir: join(dist, "nope") });
    const response = await app.request("/");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build:ui");
  });

  it("knows when the build is missing or older than a source file", () => {
    const ui = mkdtempSync(join(tmpdir(), "jarvis-ui-src-"));
    mkdirSync(join(ui, "src"));
    writeFileSync(join(ui, "src", "App.svelte"), "<p>hi</p>");
    expect(uiBuildStale(ui)).toBe(true);
    mkdirSync(join(ui, "dist"));
    writeFileSync(join(ui, "dist", "index.html"), "built");
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(ui, "src", "App.svelte"), past, past);
    expect(uiBuildStale(ui)).toBe(false);
    writeFileSync(join(ui, "src", "App.svelte"), "<p>changed</p>");
    utimesSync(join(ui, "dist", "index.html"), past, past);
    expect(uiBuildStale(ui)).toBe(true);
  });
});
