import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { launchChromium, screenshot, seriousViolations } from "./helpers/browser.ts";
import { adminPrincipal, createTestJarvis } from "./helpers/jarvis.ts";
import { createTestTools } from "./helpers/test-tools.ts";

const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 60_000, interval: 100 });

/**
 * The console's Approvals view and pending-count badge follow GET /api/approvals/stream in real
 * Chromium: approvals asked for and decided elsewhere appear and go without a reload and without
 * a single poll of the list; when the stream cannot connect, polling takes over, and the stream
 * comes back by itself.
 */
describe("live approvals in the console", { timeout: 180_000 }, () => {
  const { tools } = createTestTools();
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let page: Page;
  /** Every request the page made for the approvals list (the polling the stream replaces), in order. */
  const polls: string[] = [];
  const cspErrors: string[] = [];
  /** While true, the server answers the stream as a proxy that refuses it would (503). */
  let streamRefused = false;

  const ask = async (thing: string) => {
    const asked = await jarvis.runTool(
      { tool: "test_restart_thing", args: { thing, password: "hunter2hunter2" } },
      { source: "mcp", principal: { id: "token:ide", name: "ide", role: "operator" } },
    );
    if (asked.status !== "approval_required") throw new Error(`expected an approval, got ${asked.status}`);
    return asked.approval.id;
  };
  const item = (id: string) => page.locator(`[data-testid="approval-item"][data-approval-id="${id}"]`);
  const inbox = () => page.getByTestId("approvals-inbox");

  beforeAll(async () => {
    await ensureUiBuilt(silentLogger);
    jarvis = await createTestJarvis({ tools });
    const { token } = await jarvis.tokens.create({ name: "admin", role: "admin" });
    const app = createApp(jarvis);
    const fetch = (request: Request) =>
      streamRefused && new URL(request.url).pathname === "/api/approvals/stream"
        ? new Response("stream refused", { status: 503 })
        : app.fetch(request);
    server = await new Promise((resolve) => {
      const s = serve({ fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    page.on("request", (request) => {
      const path = new URL(request.url()).pathname + new URL(request.url()).search;
      if (path === "/api/approvals" || path.startsWith("/api/approvals?")) polls.push(path);
    });
    await page.goto(`${base}/#/approvals`);
    await page.getByTestId("token-input").fill(token);
    await page.getByTestId("sign-in-submit").click();
    await inbox().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await jarvis?.close();
  });

  it("shows an approval asked for elsewhere, and its decision, from the stream alone", async () => {
    await eventually(() => inbox().getAttribute("data-live")).toBe("true");
    await eventually(() => page.getByTestId("approvals-empty").isVisible()).toBe(true);
    const before = polls.length;

    const id = await ask("live-1");
    await eventually(() => item(id).count()).toBe(1);
    expect(await item(id).textContent()).toContain("lab/live-1");
    expect(await item(id).textContent()).not.toContain("hunter2hunter2");
    await eventually(() => page.getByTestId("status-pending").textContent()).toContain("1 pending approval");
    const second = await ask("live-2");
    await eventually(() => page.getByTestId("status-pending").textContent()).toContain("2 pending approvals");
    expect(await item(second).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "13-approvals-live");

    await jarvis.decideApproval(id, { decision: "deny" }, adminPrincipal);
    await eventually(() => item(id).count()).toBe(0);
    await eventually(() => page.getByTestId("status-pending").textContent()).toContain("1 pending approval");
    await jarvis.decideApproval(second, { decision: "deny" }, adminPrincipal);
    await eventually(() => page.getByTestId("approvals-empty").isVisible()).toBe(true);
    expect(await page.getByTestId("status-pending").count()).toBe(0);
    // Nothing was polled: the list, the badge and both decisions came over the event stream.
    expect(polls.slice(before)).toEqual([]);
  });

  it("polls while the stream cannot connect, and goes live again when it can", async () => {
    // The page reads the list once when the stream breaks; the approval comes after that read.
    const readOnBreak = page.waitForResponse((r) => r.url().endsWith("/api/approvals?status=pending"));
    streamRefused = true;
    // Drop every connection: the page's stream breaks and its reconnects are refused.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await readOnBreak;
    await eventually(() => inbox().getAttribute("data-live")).toBe("false");
    const before = polls.length;
    const id = await ask("while-down");
    await eventually(() => item(id).count()).toBe(1);
    expect(polls.slice(before)).toContain("/api/approvals?status=pending");

    streamRefused = false;
    await eventually(() => inbox().getAttribute("data-live")).toBe("true");
    const live = polls.length;
    await jarvis.decideApproval(id, { decision: "deny" }, adminPrincipal);
    await eventually(() => item(id).count()).toBe(0);
    expect(polls.slice(live)).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
