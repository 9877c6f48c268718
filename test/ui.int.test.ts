import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import Docker from "dockerode";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sessions } from "../src/db/schema.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { launchChromium, screenshot, seriousViolations } from "./helpers/browser.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { type ChatRequest, type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

/** Waits for the page to get there (the UI streams; a restart takes seconds), then asserts. */
const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 30_000, interval: 100 });

const lastToolResult = (request: ChatRequest): string =>
  String([...request.messages].reverse().find((m) => m.role === "tool")?.content ?? "");

describe("the chat console in headless Chromium against the real server", () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const web = `jt-ui-web-${process.pid}`;
  const db = `jt-ui-db-${process.pid}`;
  let sim: OpenAISim;
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;
  let token: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];

  const startedAt = async (name: string) => (await docker.getContainer(name).inspect()).State.StartedAt;
  const card = (tool: string) => page.locator(`[data-testid="tool-card"][data-tool="${tool}"]`).last();

  async function send(text: string) {
    const input = page.getByTestId("message-input");
    await input.fill(text);
    await input.press("Enter");
  }

  async function signIn(value = token) {
    await page.getByTestId("token-input").fill(value);
    await page.getByTestId("sign-in-submit").click();
  }

  beforeAll(async () => {
    await ensureUiBuilt(silentLogger);
    await startTestContainer(docker, { name: web, runId: inject("testRunId") });
    await startTestContainer(docker, { name: db, runId: inject("testRunId") });
    sim = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`, JARVIS_MODEL_MAX_RETRIES: "0" },
      ),
    });
    token = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
    const app = createApp(jarvis);
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await jarvis?.close();
    await sim?.close();
    for (const name of [web, db])
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => {});
  });

  it("serves the console with a strict CSP and refuses a wrong token in plain words", async () => {
    const response = await page.goto(`${base}/`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await eventually(() => page.getByTestId("sign-in").isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "1-sign-in");
    await signIn("jv_wrong-token");
    await eventually(() => page.getByTestId("sign-in-error").textContent()).toContain("not accepted");
  });

  it("signs in and shows the status strip", async () => {
    await signIn();
    await eventually(() => page.getByTestId("chat-view").isVisible()).toBe(true);
    await eventually(() => page.getByTestId("status-strip").textContent()).toContain("Docker local: ok");
    expect(await page.getByTestId("user-name").textContent()).toContain("admin");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "jarvis_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
  });

  it("streams an answer with a tool card for a read tool", async () => {
    sim.script({ toolCalls: [{ name: "docker_list_containers", arguments: {} }] }, (request) => ({
      text: lastToolResult(request).includes(web)
        ? `I see **${web}** running.\n\n- first\n- <script>alert(1)</script>`
        : "I see nothing.",
      chunkSize: 5,
    }));
    await send("what is running?");
    const list = card("docker_list_containers");
    await eventually(() => list.getAttribute("data-state")).toBe("output-available");
    expect(await list.getAttribute("aria-label")).toContain("docker_list_containers");
    expect(await list.getByTestId("tool-status").textContent()).toBe("done");
    expect(await list.getByTestId("tool-summary").textContent()).toMatch(/\d+/);
    expect(await list.getByTestId("tool-duration").textContent()).toMatch(/\d+(\.\d)? m?s/);
    const answer = page.getByTestId("message-assistant").last();
    await eventually(() => answer.locator("strong").textContent()).toBe(web);
    expect(await answer.locator("li").count()).toBe(2);
    expect(await answer.locator("script").count()).toBe(0);
    expect(await answer.locator("li").last().textContent()).toBe("<script>alert(1)</script>");
    await list.locator("summary").click();
    expect(await list.getByTestId("tool-raw").textContent()).toContain(web);
    expect(page.url()).toMatch(/#\/chat\/c-[\w-]+$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "2-chat");
  });

  it("pauses a restart for approval; approving with the keyboard restarts the real container in place", async () => {
    const before = await startedAt(web);
    sim.script({
      toolCalls: [{ name: "docker_restart_container", arguments: { container: web, timeout: 1 } }],
    });
    await send(`restart ${web}`);
    const restart = card("docker_restart_container");
    await eventually(() => restart.getAttribute("data-state")).toBe("approval-requested");
    expect(await restart.getByTestId("tool-target").textContent()).toBe(`local/${web}`);
    expect(await startedAt(web)).toBe(before);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "3-approval");

    sim.script((request) => ({
      text: lastToolResult(request).includes('"changed":true') ? "Restarted, it is back up." : "Hmm.",
    }));
    await restart.getByTestId("approve").focus();
    await page.keyboard.press("Enter");
    await eventually(() => restart.getAttribute("data-state")).toBe("output-available");
    await eventually(() => page.getByTestId("message-assistant").last().textContent()).toContain(
      "Restarted, it is back up.",
    );
    expect(await startedAt(web)).not.toBe(before);
    expect(await page.getByTestId("message-assistant").count()).toBe(2);
  });

  it("denies another restart with a reason; the container keeps running untouched", async () => {
    const before = await startedAt(db);
    sim.script({ toolCalls: [{ name: "docker_restart_container", arguments: { container: db } }] });
    await send(`restart ${db}`);
    const restart = card("docker_restart_container");
    await eventually(() => restart.getAttribute("data-state")).toBe("approval-requested");
    sim.script((request) => ({
      text: lastToolResult(request).includes("not during backups") ? "Understood, I left it alone." : "?",
    }));
    await restart.getByTestId("approval-reason").fill("not during backups");
    await restart.getByTestId("deny").click();
    await eventually(() => restart.getAttribute("data-state")).toBe("output-denied");
    await eventually(() => page.getByTestId("message-assistant").last().textContent()).toContain(
      "Understood, I left it alone.",
    );
    expect(await startedAt(db)).toBe(before);
  });

  it("approves with 'allow this for N minutes': the run continues and the next restart needs no approval", async () => {
    const before = await startedAt(web);
    sim.script({
      toolCalls: [{ name: "docker_restart_container", arguments: { container: web, timeout: 1 } }],
    });
    await send(`bounce ${web}`);
    const restart = card("docker_restart_container");
    await eventually(() => restart.getAttribute("data-state")).toBe("approval-requested");
    sim.script({ text: "Bounced." });
    await restart.getByTestId("approval-grant").check();
    await restart.getByTestId("approval-minutes").fill("5");
    await restart.getByTestId("approve").click();
    await eventually(() => restart.getAttribute("data-state")).toBe("output-available");
    await eventually(() => page.getByTestId("message-assistant").last().textContent()).toContain("Bounced.");
    const middle = await startedAt(web);
    expect(middle).not.toBe(before);

    sim.script(
      { toolCalls: [{ name: "docker_restart_container", arguments: { container: web, timeout: 1 } }] },
      { text: "Bounced again, under your 5-minute grant." },
    );
    await send(`bounce ${web} again`);
    await eventually(() => page.getByTestId("message-assistant").last().textContent()).toContain("grant");
    expect(await card("docker_restart_container").getAttribute("data-state")).toBe("output-available");
    expect(await startedAt(web)).not.toBe(middle);
  });

  it("lists approvals from other surfaces in the inbox and approves one there", async () => {
    const before = await startedAt(db);
    const asked = await jarvis.runTool(
      { tool: "docker_restart_container", args: { container: db, timeout: 1 } },
      {
        source: "mcp",
        principal: { id: "token:ide", name: "ide", role: "operator" },
        reason: "the IDE agent saw it hang",
      },
    );
    expect(asked.status).toBe("approval_required");
    await page.getByTestId("nav-approvals").click();
    const item = page.getByTestId("approval-item");
    await eventually(() => item.count()).toBe(1);
    expect(await item.getByTestId("approval-requester").textContent()).toBe("token:ide via mcp");
    expect(await item.textContent()).toContain("the IDE agent saw it hang");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "4-approvals");
    await item.getByTestId("approve").click();
    await eventually(() => page.getByTestId("approvals-empty").isVisible()).toBe(true);
    const [row] = await jarvis.approvals
      .list({ status: "approved" })
      .then((rows) => rows.filter((r) => r.source === "mcp"));
    expect(row?.decidedBy).toBe("token:admin");
    // An MCP request runs when its client calls again (the result belongs to that client), and
    // the console says so instead of claiming it ran.
    expect(await page.getByTestId("approvals-done").textContent()).toContain(
      "runs when the MCP client that asked calls it again",
    );
    expect(await startedAt(db)).toBe(before);
    const again = await jarvis.runTool(
      { tool: "docker_restart_container", args: { container: db, timeout: 1 } },
      { source: "mcp", principal: { id: "token:ide", name: "ide", role: "operator" }, reuseApproval: true },
    );
    expect(again.status).toBe("ok");
    expect(await startedAt(db)).not.toBe(before);
  });

  it("says in plain words when the model fails, and keeps the message to retry", async () => {
    await page.getByTestId("nav-chat").click();
    sim.script({ error: { status: 500, message: "the GPU caught fire" } });
    await send("how are the disks?");
    await eventually(() => page.getByTestId("chat-error").textContent()).toContain("sim-model");
    expect(await page.getByTestId("chat-error").textContent()).toMatch(/model/i);
    expect(await page.getByTestId("message-input").inputValue()).toBe("how are the disks?");
    await page.getByTestId("chat-error").getByRole("button", { name: "Dismiss" }).click();
    await page.getByTestId("message-input").fill("");
  });

  it("opens the incidents and memory views from the navigation (test/ui-views.int.test.ts covers them)", async () => {
    await page.getByTestId("nav-incidents").click();
    await eventually(() => page.getByTestId("incidents-empty").textContent()).toContain("No open incidents");
    expect(page.url()).toMatch(/#\/incidents$/);
    await page.getByTestId("nav-memory").click();
    await eventually(() => page.getByTestId("memory-view").isVisible()).toBe(true);
    expect(await page.getByTestId("nav-memory").getAttribute("aria-current")).toBe("page");
  });

  it("finds the conversation again after a reload", async () => {
    await page.goto(`${base}/#/chat`);
    await page.reload();
    const link = page.getByTestId("conversation-link").filter({ hasText: "what is running?" });
    await eventually(() => link.count()).toBe(1);
    await link.click();
    await eventually(() => page.getByTestId("tool-card").count()).toBe(5);
    expect(await page.getByTestId("message-assistant").last().textContent()).toContain(
      "under your 5-minute grant",
    );
  });

  it("works at phone width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await eventually(() => page.getByTestId("message-input").isVisible()).toBe(true);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "5-phone");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("an expired session goes back to sign-in and keeps the draft", async () => {
    await page.goto(`${base}/#/chat`);
    await eventually(() => page.getByTestId("message-input").isVisible()).toBe(true);
    await jarvis.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    await send("check the disks please");
    await eventually(() => page.getByTestId("sign-in-notice").textContent()).toContain("draft");
    await signIn();
    await eventually(() => page.getByTestId("message-input").inputValue()).toBe("check the disks please");
  });

  it("signs out", async () => {
    await page.getByTestId("sign-out").click();
    await eventually(() => page.getByTestId("sign-in").isVisible()).toBe(true);
    await page.reload();
    await eventually(() => page.getByTestId("sign-in").isVisible()).toBe(true);
    expect(cspErrors).toEqual([]);
  });
});
