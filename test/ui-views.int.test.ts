import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import Docker from "dockerode";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Alert } from "../src/incidents/alert.ts";
import type { Jarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { createApp } from "../src/server/app.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { launchChromium, screenshot, seriousViolations } from "./helpers/browser.ts";
import { createTestJarvis } from "./helpers/jarvis.ts";
import { healthOf, startUnhealthyContainer, eventually as until } from "./helpers/unhealthy-container.ts";

/** Waits for the page to get there (the loop verifies a real restart), then asserts. */
const eventually = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 60_000, interval: 100 });

const alert = (fingerprint: string, labels: Record<string, string>): Alert => ({
  source: "webhook",
  fingerprint,
  status: "firing",
  labels,
  annotations: {},
  startsAt: new Date(),
});

/**
 * The incidents and memory views in headless Chromium against the real server: incidents opened
 * through `jarvis.incidents.ingest` on real unhealthy containers (the default policy asks before an
 * alert restarts anything), memories written through the real API and checked in the database.
 */
describe("the console's incidents and memory views", { timeout: 180_000 }, () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const runId = inject("testRunId");
  const names = { ask: `jt-uiv-ask-${process.pid}`, esc: `jt-uiv-esc-${process.pid}` };
  let jarvis: Jarvis;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let page: Page;
  const cspErrors: string[] = [];

  const incidentOf = async (container: string) => {
    const [result] = await jarvis.incidents.ingest([
      alert(`uiv-${container}`, {
        alertname: "ContainerUnhealthy",
        container,
        host: "local",
        severity: "warning",
      }),
    ]);
    await jarvis.incidents.idle();
    return (await jarvis.incidents.store.get(result!.incident!))!;
  };
  const stored = async (id: string) => (await jarvis.incidents.store.get(id))!;
  const timeline = (kind: string) => page.locator(`[data-testid="timeline-event"][data-kind="${kind}"]`);
  const memories = async () => (await jarvis.memory.list({ limit: 500 })).memories;
  const item = (text: string) => page.getByTestId("memory-item").filter({ hasText: text });
  // by id: while a memory is edited its text is in a textarea (a value, not text content)
  const itemById = (id: string) => page.locator(`[data-testid="memory-item"][data-memory-id="${id}"]`);

  beforeAll(async () => {
    await ensureUiBuilt(silentLogger);
    await Promise.all(Object.values(names).map((name) => startUnhealthyContainer(docker, { name, runId })));
    jarvis = await createTestJarvis();
    const { token } = await jarvis.tokens.create({ name: "admin", role: "admin" });
    server = await new Promise((resolve) => {
      const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    await page.goto(`${base}/#/incidents`);
    await page.getByTestId("token-input").fill(token);
    await page.getByTestId("sign-in-submit").click();
    await page.getByTestId("incidents-list").waitFor();
    await Promise.all(
      Object.values(names).map((name) =>
        until(`${name} unhealthy`, async () => (await healthOf(docker, name)) === "unhealthy"),
      ),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
    await jarvis?.incidents.idle();
    await jarvis?.close();
    for (const name of Object.values(names))
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => {});
  });

  it("lists an unhealthy container's incident, shows its timeline, and approving there fixes it", async () => {
    const incident = await incidentOf(names.ask);
    expect(incident.status).toBe("awaiting_approval");
    const before = (await docker.getContainer(names.ask).inspect()).State.StartedAt;

    const row = page.locator(`[data-testid="incident-item"][data-incident-id="${incident.id}"]`);
    await eventually(() => row.count()).toBe(1);
    expect(await row.getByTestId("incident-status").textContent()).toBe("awaiting approval");
    expect(await row.textContent()).toContain(`local/${names.ask}`);
    expect(await row.textContent()).toContain("runbook container-unhealthy");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "6-incidents");

    await row.click();
    expect(page.url()).toContain(`#/incidents/${incident.id}`);
    await eventually(() => page.getByTestId("incident-approval").isVisible()).toBe(true);
    expect(await timeline("alert").first().textContent()).toContain("Alert firing");
    expect(await timeline("evidence").first().textContent()).toContain("docker_inspect_container");
    // Evidence went through the gate: its audit row's id is on the step.
    const auditText = await timeline("evidence").first().getByTestId("timeline-audit").textContent();
    const auditId = Number(auditText?.match(/#(\d+)/)?.[1]);
    expect((await jarvis.audit.list({ limit: 1000 })).some((a) => a.id === auditId)).toBe(true);
    expect(await timeline("decision").first().textContent()).toContain("docker_restart_container");
    expect(await timeline("approval").first().textContent()).toContain("Approval requested");
    expect(await page.getByTestId("incident-approval").textContent()).toContain(names.ask);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "7-incident-approval");

    await page.getByTestId("incident-approval").getByTestId("approve").click();
    await eventually(() => page.getByTestId("incident-status").textContent()).toBe("resolved");
    expect((await docker.getContainer(names.ask).inspect()).State.StartedAt).not.toBe(before);
    expect(await healthOf(docker, names.ask)).toBe("healthy");
    const closed = await stored(incident.id);
    expect(closed.status).toBe("resolved");
    expect(await page.getByTestId("incident-summary").textContent()).toBe(closed.summary);
    expect(await timeline("tool_call").textContent()).toContain(
      `Ran docker_restart_container on local/${names.ask}`,
    );
    expect(await timeline("tool_call").getByTestId("timeline-audit").textContent()).toMatch(/audit #\d+/);
    expect(await page.getByTestId("incident-actions").count()).toBe(0);
    await screenshot(page, "8-incident-resolved");
  });

  it("recalls the first incident on a similar one; acknowledges and escalates it by hand with notes", async () => {
    const incident = await incidentOf(names.esc);
    expect(incident.status).toBe("awaiting_approval");
    await page.goto(`${base}/#/incidents/${incident.id}`);
    await eventually(() => page.getByTestId("incident-approval").isVisible()).toBe(true);
    // What fixed the first incident was remembered and comes back as a recalled memory.
    expect(await timeline("note").filter({ hasText: "Recalled" }).textContent()).toContain(names.ask);

    await page.getByTestId("incident-note").fill("looking at it");
    await page.getByTestId("incident-ack").click();
    await eventually(() => page.getByTestId("incident-acknowledged").textContent()).toContain("token:admin");
    expect(await page.getByTestId("incident-ack").count()).toBe(0);
    expect((await stored(incident.id)).acknowledgedBy).toBe("token:admin");
    expect(await timeline("note").filter({ hasText: "Acknowledged" }).textContent()).toContain(
      "looking at it",
    );

    await page.getByTestId("incident-note").fill("the disk under it is failing; call the vendor");
    await page.getByTestId("incident-escalate").press("Enter");
    await eventually(() => page.getByTestId("incident-status").textContent()).toBe("escalated");
    const escalated = await stored(incident.id);
    expect(escalated).toMatchObject({
      status: "escalated",
      summary: "the disk under it is failing; call the vendor",
    });
    // The restart it was waiting for is withdrawn: approving it later cannot run it.
    expect(await jarvis.approvals.get(incident.approvalId!)).toMatchObject({
      status: "denied",
      decidedBy: "token:admin",
    });
    expect(await timeline("approval").last().textContent()).toContain("Approval withdrawn by token:admin");
    // Escalated incidents stay open for a person: Resolve remains, Escalate goes.
    expect(await page.getByTestId("incident-escalate").count()).toBe(0);
    expect(await page.getByTestId("incident-resolve").isVisible()).toBe(true);
  });

  it("an alert no runbook matches escalates at once; acknowledged and resolved from the UI, then off the open list", async () => {
    const [result] = await jarvis.incidents.ingest([
      alert(`uiv-smart-${process.pid}`, {
        alertname: "SmartDiskFailing",
        instance: "nas326",
        severity: "critical",
      }),
    ]);
    await jarvis.incidents.idle();
    const id = result!.incident!;
    expect((await stored(id)).status).toBe("escalated");

    await page.getByTestId("nav-incidents").click();
    const row = page.locator(`[data-testid="incident-item"][data-incident-id="${id}"]`);
    await eventually(() => row.count()).toBe(1);
    // Open first: the resolved incident of the first test is not on the open list at all.
    expect(await page.locator(`[data-testid="incident-item"][data-status="resolved"]`).count()).toBe(0);
    await row.focus();
    await page.keyboard.press("Enter");
    await eventually(() => page.getByTestId("incident-summary").textContent()).toContain(
      "No runbook matches",
    );
    expect(await timeline("status").last().textContent()).toContain("escalated");

    await page.getByTestId("incident-ack").click();
    await eventually(() => page.getByTestId("incident-acknowledged").isVisible()).toBe(true);
    await page.getByTestId("incident-note").fill("replaced the disk");
    await page.getByTestId("incident-resolve").click();
    await eventually(() => page.getByTestId("incident-status").textContent()).toBe("resolved");
    expect(await stored(id)).toMatchObject({ status: "resolved", summary: "replaced the disk" });
    expect(await timeline("status").last().textContent()).toContain("by token:admin");

    await page.getByTestId("incidents-back").click();
    await eventually(() => page.getByTestId("incidents-list").isVisible()).toBe(true);
    await eventually(() => row.count()).toBe(0);
    await page.getByTestId("filter-all").click();
    await eventually(() => row.count()).toBe(1);
    expect(await row.getByTestId("incident-status").textContent()).toBe("resolved");
    // All: the open (escalated) incident comes before the closed ones.
    expect(await page.getByTestId("incident-item").first().getAttribute("data-status")).toBe("escalated");
    expect(await page.getByTestId("incident-item").count()).toBe(3);
  });

  it("adds, searches, edits and deletes memories, with the database agreeing at each step", async () => {
    await page.getByTestId("nav-memory").click();
    await eventually(() => page.getByTestId("memory-view").isVisible()).toBe(true);
    const before = await memories();

    await page.getByTestId("memory-text").fill("The NAS is only on between 8am and midnight");
    await page.getByTestId("memory-scope").fill("host:nas326");
    await page.getByTestId("memory-submit").click();
    await eventually(() => page.getByTestId("memory-done").textContent()).toMatch(/^Remembered \(mem_\d+\)/);
    const nas = (await memories()).find((m) => m.text.includes("8am and midnight"));
    expect(nas).toMatchObject({ kind: "fact", scope: "host:nas326", source: { type: "api" } });

    await page.getByTestId("memory-text").fill("Prefer restarting plex over recreating it");
    await page.getByTestId("memory-kind").selectOption("preference");
    await page.getByTestId("memory-submit").click();
    await eventually(() => item("recreating it").count()).toBe(1);
    expect((await memories()).find((m) => m.text.includes("recreating it"))?.kind).toBe("preference");
    expect(await memories()).toHaveLength(before.length + 2);
    expect(await item("8am and midnight").getByTestId("memory-scope-shown").textContent()).toBe(
      "host:nas326",
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "9-memory");

    await page.getByTestId("memory-query").fill("when is the NAS on");
    await page.getByTestId("memory-query").press("Enter");
    await eventually(() => page.getByTestId("memory-count").textContent()).toContain(
      "for “when is the NAS on”",
    );
    expect(await page.getByTestId("memory-item").first().textContent()).toContain("8am and midnight");
    await screenshot(page, "10-memory-search");
    await page.getByTestId("memory-clear").click();
    await eventually(() => page.getByTestId("memory-count").textContent()).toMatch(/of \d+ memories/);

    const row = itemById(nas!.id);
    await row.getByTestId("memory-edit").click();
    await row.getByTestId("memory-edit-text").fill("The NAS is only on between 7am and midnight");
    await row.getByTestId("memory-edit-scope").fill("host:nas-box");
    await row.getByTestId("memory-save").click();
    await eventually(() => page.getByTestId("memory-done").textContent()).toBe(`Saved ${nas!.id}.`);
    expect(await jarvis.memory.get(nas!.id)).toMatchObject({
      text: "The NAS is only on between 7am and midnight",
      scope: "host:nas-box",
    });
    expect(await item("7am and midnight").getByTestId("memory-scope-shown").textContent()).toBe(
      "host:nas-box",
    );

    const edited = item("7am and midnight");
    await edited.getByTestId("memory-delete").click();
    expect(await seriousViolations(page)).toEqual([]);
    await edited.getByTestId("memory-confirm-delete").click();
    await eventually(() => page.getByTestId("memory-done").textContent()).toBe(`Deleted ${nas!.id}.`);
    await expect(jarvis.memory.get(nas!.id)).rejects.toThrow(/No memory/);
    await eventually(() => item("7am and midnight").count()).toBe(0);
  });

  it("refuses a secret in plain words and stores nothing, when adding and when editing", async () => {
    const before = await memories();
    await page.getByTestId("memory-text").fill("the router admin password is hunter2hunter2");
    await page.getByTestId("memory-submit").click();
    await eventually(() => page.getByTestId("memory-error").textContent()).toContain("Not stored");
    expect(await page.getByTestId("memory-error").textContent()).toContain("never keeps secrets");
    expect(await memories()).toEqual(before);

    const plex = before.find((m) => m.text.includes("recreating it"))!;
    const row = itemById(plex.id);
    await row.getByTestId("memory-edit").click();
    await row.getByTestId("memory-edit-text").fill("plex token is ghp_abcdefghijklmnopqrstuvwx");
    await row.getByTestId("memory-save").click();
    await eventually(() => row.getByTestId("memory-item-error").textContent()).toContain("access token");
    expect(await memories()).toEqual(before);
    await row.getByTestId("memory-cancel").click();
    expect(await row.getByTestId("memory-item-error").count()).toBe(0);
    expect(await row.getByTestId("memory-text-shown").textContent()).toBe(plex.text);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "11-memory-secret-refused");
  });

  it("a fact that changes replaces the old one, which History still lists", async () => {
    const remember = async (text: string) => {
      await page.getByTestId("memory-text").fill(text);
      await page.getByTestId("memory-kind").selectOption("fact");
      await page.getByTestId("memory-scope").fill("service:plex");
      await page.getByTestId("memory-submit").click();
    };
    await remember("The plex server IP is 192.168.1.50");
    await eventually(() => item("192.168.1.50").count()).toBe(1);
    await remember("The plex server IP is 192.168.1.77");
    await eventually(() => page.getByTestId("memory-done").textContent()).toContain("replaces an older fact");
    expect(await item("192.168.1.77").count()).toBe(1);
    expect(await item("192.168.1.50").count()).toBe(0);
    await page.getByTestId("memory-history").check();
    await eventually(() => item("192.168.1.50").count()).toBe(1);
    expect(await item("192.168.1.50").getByTestId("memory-replaced").textContent()).toContain("replaced");
    expect(await item("192.168.1.77").getByTestId("memory-replaced").count()).toBe(0);
    const history = await jarvis.memory.list({ includeClosed: true, scope: "service:plex" });
    expect(history.memories.find((m) => m.text.endsWith(".50"))?.validTo).not.toBeNull();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId("memory-history").uncheck();
    await eventually(() => item("192.168.1.50").count()).toBe(0);
  });

  it("shows a viewer the same incidents and memories without the controls to change them", async () => {
    const { token } = await jarvis.tokens.create({ name: "guest", role: "viewer" });
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const guest = await viewer.newPage();
      await guest.goto(`${base}/#/incidents`);
      await guest.getByTestId("token-input").fill(token);
      await guest.getByTestId("sign-in-submit").click();
      await eventually(() => guest.getByTestId("incident-item").count()).toBe(1);
      await guest.getByTestId("incident-item").click();
      await eventually(() => guest.getByTestId("incident-timeline").isVisible()).toBe(true);
      expect(await guest.getByTestId("incident-status").textContent()).toBe("escalated");
      expect(await guest.getByTestId("incident-actions").count()).toBe(0);
      await guest.getByTestId("nav-memory").click();
      await eventually(() => guest.getByTestId("memory-item").count()).toBeGreaterThan(0);
      expect(await guest.getByTestId("memory-add").count()).toBe(0);
      expect(await guest.getByTestId("memory-edit").count()).toBe(0);
      expect(await guest.getByTestId("memory-delete").count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  it("works at phone width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const hash of ["#/memory", "#/incidents"]) {
      await page.goto(`${base}/${hash}`);
      await eventually(() => page.locator("main").isVisible()).toBe(true);
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    }
    await page.getByTestId("filter-all").click();
    await page.getByTestId("incident-item").first().click();
    await eventually(() => page.getByTestId("incident-timeline").isVisible()).toBe(true);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "12-phone-incident");
    expect(cspErrors).toEqual([]);
  });
});
