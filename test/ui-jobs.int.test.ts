import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { workerName } from "../src/jobs/types.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { launchChromium, screenshot, seriousViolations } from "./helpers/browser.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";

const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 60_000, interval: 100 });

/** A promise the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The Jobs view in headless Chromium against a real server and its real in-process queue: a job
 * held by the test shows its progress bar, then its stage in words, then completed; a job that
 * fails every attempt shows its error; a viewer gets no Jobs tab and a plain refusal.
 */
describe("the console's jobs view", { timeout: 180_000 }, () => {
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let page: Page;
  const first = gate();
  const second = gate();
  const reached: string[] = [];

  const row = (id: string) => page.locator(`[data-testid="job"][data-job-id="${id}"]`);

  const signIn = async (role: "operator" | "viewer", hash: string) => {
    const { token } = await jarvis.tokens.create({ name: role, role });
    const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await p.goto(`${base}/${hash}`);
    await p.getByTestId("token-input").fill(token);
    await p.getByTestId("sign-in-submit").click();
    await p.getByTestId("user-name").waitFor();
    return p;
  };

  beforeAll(async () => {
    await ensureUiBuilt(silentLogger);
    jarvis = await createTestJarvis();
    jarvis.jobs.define<{ files: number }>("test-import", async (data, ctx) => {
      await ctx.progress(42);
      reached.push("42");
      await first.opened;
      await ctx.progress({ stage: "indexing", filesDone: 3, totalFiles: data.files });
      reached.push("indexing");
      await second.opened;
      return { imported: data.files };
    });
    jarvis.jobs.define("test-broken", async () => {
      throw new Error("disk full on /srv/media");
    });
    await jarvis.jobs.start();
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await signIn("operator", "#/jobs");
    await page.getByTestId("jobs-view").waitFor();
  });
  afterAll(async () => {
    first.open();
    second.open();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await jarvis?.close();
  });

  it("without jobs, says so", async () => {
    expect(await page.getByTestId("jobs-empty").textContent()).toBe("No jobs yet.");
    expect(await page.getByTestId("job").count()).toBe(0);
    expect(await page.getByTestId("nav-jobs").getAttribute("aria-current")).toBe("page");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows a running job's progress bar, then its stage in words, then completed", async () => {
    const job = await jarvis.jobs.enqueue("test-import", { files: 1200 });
    await eventually(() => reached.includes("42")).toBe(true);
    // The view polls every 15 s while nothing runs: leaving and coming back loads at once.
    await page.getByTestId("nav-memory").click();
    await page.getByTestId("jobs-view").waitFor({ state: "detached" });
    await page.getByTestId("nav-jobs").click();
    await eventually(() => row(job.id).getAttribute("data-state")).toBe("active");
    const bar = row(job.id).getByRole("progressbar", { name: "test-import progress" });
    expect(await bar.getAttribute("aria-valuenow")).toBe("42");
    expect(await row(job.id).getByTestId("job-percent").textContent()).toBe("42%");
    expect(await row(job.id).getByTestId("job-attempts").textContent()).toBe("attempt 1 of 1");
    expect(await row(job.id).getByTestId("job-worker").textContent()).toBe(`on ${workerName()}`);
    expect(await row(job.id).textContent()).toContain("started just now");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "10-jobs-running");

    // Away from the view it stops asking, even with a job running (2 s polls would show here).
    const polls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/jobs") polls.push(request.url());
    });
    await page.getByTestId("nav-memory").click();
    await page.getByTestId("jobs-view").waitFor({ state: "detached" });
    await new Promise((r) => setTimeout(r, 5000));
    expect(polls).toEqual([]);
    await page.getByTestId("nav-jobs").click();
    await eventually(() => polls.length).toBeGreaterThan(0);

    // An object as progress reads as its stage and figures; the 2 s polls pick it up.
    first.open();
    await eventually(() => row(job.id).getByTestId("job-stage").count()).toBe(1);
    expect(await row(job.id).getByTestId("job-stage").textContent()).toBe("indexing");
    expect(await row(job.id).getByTestId("job-figures").textContent()).toBe(
      "files done 3, total files 1,200",
    );
    expect(await row(job.id).getByRole("progressbar").count()).toBe(0);

    second.open();
    await eventually(() => row(job.id).getAttribute("data-state")).toBe("completed");
    expect(await row(job.id).getAttribute("class")).toContain("ok");
    expect(await row(job.id).getByTestId("job-state").textContent()).toBe("completed");
    expect(await row(job.id).getByTestId("job-progress").count()).toBe(0);
    expect(await row(job.id).textContent()).toContain("finished just now");

    // Active shows only what runs or waits.
    await page.getByTestId("jobs-filter-active").click();
    await eventually(() => page.getByTestId("jobs-empty").textContent()).toBe(
      "No job is running or waiting.",
    );
    await page.getByTestId("jobs-filter-all").click();
    await eventually(() => row(job.id).count()).toBe(1);
  });

  it("a job that failed every attempt stands out with its last error", async () => {
    const job = await jarvis.jobs.enqueue("test-broken", null, {
      attempts: 2,
      backoff: { type: "fixed", delay: 10 },
    });
    await eventually(async () => (await jarvis.jobs.get(job.id))?.state).toBe("failed");
    await page.getByTestId("jobs-filter-failed").click();
    await eventually(() => row(job.id).getAttribute("data-state")).toBe("failed");
    expect(await page.getByTestId("job").count()).toBe(1);
    expect(await row(job.id).getAttribute("class")).toContain("bad");
    expect(await row(job.id).getByTestId("job-error").textContent()).toContain(
      "Failed: disk full on /srv/media",
    );
    expect(await row(job.id).getByTestId("job-attempts").textContent()).toBe("attempt 2 of 2");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "11-jobs-failed");

    // At phone width the rows wrap instead of scrolling sideways, and every tab stays in view.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    const tab = await page.getByTestId("nav-jobs").boundingBox();
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(390);
  });

  it("a viewer gets no Jobs tab, and the view's address says plainly why it shows nothing", async () => {
    const viewer = await signIn("viewer", "#/jobs");
    await viewer.getByTestId("nav-backups").waitFor();
    expect(await viewer.getByTestId("nav-jobs").count()).toBe(0);
    await eventually(() => viewer.getByTestId("jobs-error").textContent()).toBe(
      "Jobs are shown to admins and operators only. Ask an admin for an operator token.",
    );
    expect(await viewer.getByTestId("job").count()).toBe(0);
    expect(await viewer.getByTestId("jobs-empty").count()).toBe(0);
  });
});
