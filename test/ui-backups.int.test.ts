import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { bytes, duration } from "../ui/src/format.ts";
import { requireBinary } from "./helpers/binaries.ts";
import { launchChromium, screenshot, seriousViolations } from "./helpers/browser.ts";
import { createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { resticPids } from "./helpers/pids.ts";
import { refusal } from "./helpers/refusal.ts";
import { eventually as until } from "./helpers/unhealthy-container.ts";

const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 60_000, interval: 100 });

async function listen(jarvis: Jarvis) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: ReturnType<typeof serve> | undefined) {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
}

/**
 * The Backups view in headless Chromium, signed in as a viewer, against a real server running the
 * real restic: a run held mid-way (its restic stopped with SIGSTOP once it reports progress) shows
 * its progress bar and stage, then its last success; a wrong repository password shows as failed.
 */
describe("the console's backups view", { timeout: 240_000 }, () => {
  requireBinary("restic", "restic");
  const root = mkdtempSync(join(tmpdir(), "jarvis-ui-backups-"));
  const source = join(root, "photos");
  const repo = join(root, "repo");
  const api = { source: "api", principal: operatorPrincipal } as const;
  let jarvis: Jarvis;
  let empty: Jarvis;
  let server: ReturnType<typeof serve>;
  let emptyServer: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let page: Page;
  let stopped: number[] = [];

  const row = (job: string) => page.locator(`[data-testid="backup-job"][data-job="${job}"]`);
  /** Leaves the view and comes back: a fresh mount loads at once (and the old one stops polling). */
  const reopen = async () => {
    await page.getByTestId("nav-memory").click();
    await page.getByTestId("backups-view").waitFor({ state: "detached" });
    await page.getByTestId("nav-backups").click();
    await page.getByTestId("backups-view").waitFor();
  };

  const signIn = async (at: string, jarvisOf: Jarvis) => {
    const { token } = await jarvisOf.tokens.create({ name: "viewer", role: "viewer" });
    await page.goto(`${at}/#/backups`);
    await page.getByTestId("token-input").fill(token);
    await page.getByTestId("sign-in-submit").click();
    await page.getByTestId("backups-view").waitFor();
  };

  beforeAll(async () => {
    await ensureUiBuilt(silentLogger);
    mkdirSync(source);
    // Enough data that restic reports progress (twice a second) well before it finishes.
    for (let i = 0; i < 4; i++) writeFileSync(join(source, `part-${i}.bin`), randomBytes(48 * 1024 * 1024));
    jarvis = await createTestJarvis({
      config: testConfig({
        storage: { roots: [root], sampleMinutes: 0, trendDays: 14 },
        policy: { rules: [{ tool: "backup_run", action: "allow" }] },
        backups: {
          jobs: [
            {
              name: "photos",
              repository: repo,
              paths: [source],
              volumes: [],
              databases: [],
              schedule: "0 3 * * *",
            },
            { name: "broken", repository: repo, paths: [source], volumes: [], databases: [] },
          ],
          databases: [],
          timeoutMinutes: 10,
        },
      }),
    });
    await jarvis.clients.secrets!.put("restic/photos", "correct horse battery staple");
    await jarvis.clients.secrets!.put("restic/broken", "not the password");
    empty = await createTestJarvis();
    ({ server, base } = await listen(jarvis));
    let emptyBase: string;
    ({ server: emptyServer, base: emptyBase } = await listen(empty));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(emptyBase, empty);
  });
  afterAll(async () => {
    for (const pid of stopped) process.kill(pid, "SIGCONT");
    await browser?.close();
    await close(server);
    await close(emptyServer);
    await jarvis?.incidents.idle();
    await jarvis?.close();
    await empty?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("without backup jobs, says so and points at the README", async () => {
    const text = await page.getByTestId("backups-empty").textContent();
    expect(text).toContain("No backup jobs are configured");
    expect(text).toContain("README");
    expect(await page.getByTestId("backup-job").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows a run in flight with its progress bar and stage, then its last success", async () => {
    // Context cookies are per origin, so this page signs in again on the server with the jobs.
    await signIn(base, jarvis);
    await eventually(() => row("photos").getAttribute("data-status")).toBe("never");
    expect(await row("photos").textContent()).toContain("schedule 0 3 * * *");
    expect(await row("photos").getByTestId("backup-last-success").textContent()).toBe("never succeeded");

    const run = jarvis.runTool({ tool: "backup_run", args: { job: "photos" } }, api);
    run.catch(() => {}); // awaited below
    await until("restic reports progress", async () => {
      const progress = jarvis.clients.backups!.running("photos")[0]?.progress;
      return progress && progress.bytesDone > 0 ? progress : undefined;
    });
    // Hold restic where it is, so the page sees the run mid-way whatever the machine's speed.
    stopped = resticPids(source);
    expect(stopped).toHaveLength(1);
    process.kill(stopped[0]!, "SIGSTOP");
    // A progress line restic wrote just before the stop may still be in the pipe: let it land.
    await new Promise((r) => setTimeout(r, 1000));
    const held = jarvis.clients.backups!.running("photos")[0]!.progress!;
    expect(held.percent).toBeLessThan(100);

    await reopen();
    await eventually(() => row("photos").getAttribute("data-status")).toBe("running");
    const bar = row("photos").getByRole("progressbar", { name: "photos backup progress" });
    expect(await bar.isVisible()).toBe(true);
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBe(Math.round(held.percent));
    expect(await row("photos").getByTestId("backup-stage").textContent()).toBe("backing up");
    // The run in flight is the job's last run: its status is the progress, not a "running" badge.
    expect(await row("photos").getByTestId("backup-last-status").count()).toBe(0);
    expect(await row("photos").getByTestId("backup-percent").textContent()).toBe(
      `${Math.floor(held.percent)}%`,
    );
    const text = await row("photos").textContent();
    expect(text).toContain(`${held.filesDone} of ${held.totalFiles} files`);
    expect(text).toContain(`${bytes(held.bytesDone)} of ${bytes(held.totalBytes)}`);
    expect(text).toContain(
      held.etaSeconds === undefined ? "estimating time left" : `about ${duration(held.etaSeconds)} left`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "8-backups-running");

    // Away from the view it stops asking, even with a run in flight (2 s polls would show here).
    const polls: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/api/backups")) polls.push(request.url());
    });
    await page.getByTestId("nav-memory").click();
    await page.getByTestId("backups-view").waitFor({ state: "detached" });
    await new Promise((r) => setTimeout(r, 5000));
    expect(polls).toEqual([]);
    await page.getByTestId("nav-backups").click();
    await eventually(() => polls.length).toBeGreaterThan(0);
    await eventually(() => row("photos").getAttribute("data-status")).toBe("running");

    for (const pid of stopped) process.kill(pid, "SIGCONT");
    stopped = [];
    expect((await run).status).toBe("ok");
    // The view polls every 2 s while something runs, so it sees the end without a reload.
    await eventually(() => row("photos").getAttribute("data-status")).toBe("ok");
    expect(await row("photos").getByTestId("backup-last-success").textContent()).toBe(
      "last success just now",
    );
    expect(await row("photos").getByTestId("backup-last-status").textContent()).toBe("last run ok");
    expect(await row("photos").getByRole("progressbar").count()).toBe(0);
  });

  it("a run refused by the repository (wrong password) stands out as failed", async () => {
    const error = await refusal(jarvis.runTool({ tool: "backup_run", args: { job: "broken" } }, api));
    expect(error.message).toMatch(/refused the password/);
    await reopen();
    await eventually(() => row("broken").getAttribute("data-status")).toBe("failed");
    expect(await row("broken").getAttribute("class")).toContain("bad");
    expect(await row("broken").getByTestId("backup-last-status").textContent()).toBe("last run failed");
    expect(await row("broken").getByTestId("backup-last-success").textContent()).toBe("never succeeded");
    expect(await row("broken").getByTestId("backup-error").textContent()).toMatch(/refused the password/);
    expect(await row("broken").textContent()).not.toContain("not the password");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "9-backups-failed");

    // At phone width the rows wrap instead of scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    const tab = await page.getByTestId("nav-backups").boundingBox();
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(390);
    await screenshot(page, "9-backups-phone");
  });
});
