import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { runProbes } from "../src/server/probes.ts";
import { createGoogleClient } from "../src/tools/google/client.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { okResult, refusal } from "./helpers/tool-calls.ts";
import { type GoogleSim, startGoogleSim } from "./sim/google/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const CLIENT_ID = "1234-sim.apps.googleusercontent.com";
const CLIENT_SECRET = "GOCSPX-sim-secret";

const day = (offsetDays: number, hour: number, minute = 0) => {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  d.setHours(hour, minute, 0, 0);
  return d.toISOString();
};
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const googleEnv = (sim: GoogleSim, extra: Record<string, string> = {}) => ({
  GOOGLE_CLIENT_ID: CLIENT_ID,
  GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
  GOOGLE_API_ROOT_URL: sim.url,
  GOOGLE_TOKEN_URL: sim.tokenUrl,
  GOOGLE_AUTH_URL: sim.authUrl,
  ...extra,
});

describe("the Google toolset against the Google simulator, through the gate", () => {
  let sim: GoogleSim;
  let jarvis: Jarvis;
  let roots: string;

  beforeAll(async () => {
    roots = await mkdtemp(join(tmpdir(), "jarvis-google-"));
    await writeFile(join(roots, "backup-report.txt"), "media-config: ok\nnas-photos: failed (stale lock)\n");
    sim = await startGoogleSim({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      events: [
        { summary: "Dentist", start: day(0, 23, 0), end: day(0, 23, 45), location: "Hauptstr. 12" },
        { summary: "Bin collection", start: day(1, 7), end: day(1, 7, 15) },
        { summary: "Team sync", start: day(1, 9), end: day(1, 9, 30) },
        { summary: "Dinner with Sam", start: day(1, 19, 30), end: day(1, 22) },
        { summary: "Far away", start: day(9, 10), end: day(9, 11) },
      ],
      mails: [
        {
          from: "FibreNet <noreply@fibrenet.example>",
          subject: "Planned maintenance on your fibre line",
          date: ago(5),
          body: "Your connection may be interrupted on Thursday between 01:00 and 05:00.",
        },
        ...Array.from({ length: 23 }, (_, i) => ({
          from: "Cron <cron@nas.example>",
          subject: `Nightly job ${i + 1}`,
          date: ago(10 + i),
          body: `Job ${i + 1} finished. ${"x".repeat(20_000)}`,
        })),
        { from: "Old <old@example.org>", subject: "Ancient", date: ago(24 * 40), body: "old news" },
      ],
      files: [
        { id: "fold1", name: "Homelab", mimeType: "application/vnd.google-apps.folder" },
        { name: "Homelab network diagram.drawio", parents: ["fold1"], content: "<xml/>" },
        { name: "Tax return 2024.pdf", content: "%PDF" },
        ...Array.from({ length: 130 }, (_, i) => ({ name: `photo-${i}.jpg`, content: "jpg" })),
      ],
    });
    jarvis = await createTestJarvis({
      config: testConfig({}, googleEnv(sim, { GOOGLE_UPLOAD_ROOTS: roots })),
    });
    await jarvis.clients.secrets!.put("google/refresh-token", sim.issueRefreshToken());
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
    await rm(roots, { recursive: true, force: true });
  });

  it("lists tomorrow's events in order, with the real client library refreshing the token", async () => {
    const result = await okResult<{ events: Array<{ title: string; start: string }> }>(
      jarvis,
      "calendar_list_events",
      { from: "tomorrow" },
    );
    expect(result.events.map((e) => e.title)).toEqual(["Bin collection", "Team sync", "Dinner with Sam"]);
    expect(result.events[0]!.start).toBe(day(1, 7));
    const list = sim.requests.find((r) => r.path === "/calendar/v3/calendars/primary/events");
    expect(list?.query.get("singleEvents")).toBe("true");
    expect(sim.requests.some((r) => r.path === "/token")).toBe(true);
  });

  it("finds an event by words over a range", async () => {
    const result = await okResult<{ events: Array<{ title: string }> }>(jarvis, "calendar_list_events", {
      from: "today",
      to: "this week",
      query: "dinner",
    });
    expect(result.events.map((e) => e.title)).toEqual(["Dinner with Sam"]);
  });

  it("refuses a range it cannot read, naming the field, before calling Google", async () => {
    const before = sim.requests.length;
    const error = await refusal(
      jarvis.runTool({ tool: "calendar_list_events", args: { from: "the day after the party" } }, api),
    );
    expect(error).toMatchObject({ code: "invalid_input" });
    expect(error.message).toMatch(/^from must be an ISO date/);
    expect(sim.requests.length).toBe(before);
  });

  it("asks before adding an event, then adds it with start and end", async () => {
    const asked = await jarvis.runTool(
      {
        tool: "calendar_create_event",
        args: { title: "Backup window", start: day(2, 2), end: day(2, 4) },
      },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe("Backup window");
    expect(sim.events.some((e) => e.summary === "Backup window")).toBe(false);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({
      status: "ok",
      result: { title: "Backup window", start: day(2, 2), end: day(2, 4), created: true },
    });
    expect(sim.events.find((e) => e.summary === "Backup window")).toMatchObject({
      start: day(2, 2),
      end: day(2, 4),
    });
  });

  it("searches Gmail with headers and snippets only, paging to the bound it was given", async () => {
    const result = await okResult<{ messages: Array<Record<string, string>>; more?: boolean }>(
      jarvis,
      "gmail_search",
      { query: "from:cron newer_than:7d", max: 15 },
    );
    expect(result.messages).toHaveLength(15);
    expect(result.more).toBe(true);
    expect(result.messages[0]!).toMatchObject({ from: "Cron <cron@nas.example>", subject: "Nightly job 1" });
    expect(Object.keys(result.messages[0]!).sort()).toEqual(["date", "from", "id", "snippet", "subject"]);
    expect(result.messages[0]!.snippet!.length).toBeLessThanOrEqual(100);

    const isp = await okResult<{ messages: Array<{ id: string; subject: string }> }>(jarvis, "gmail_search", {
      query: "from:fibrenet newer_than:7d",
    });
    expect(isp.messages.map((m) => m.subject)).toEqual(["Planned maintenance on your fibre line"]);
    const read = await okResult<{ body: string; truncated: boolean; to: string }>(jarvis, "gmail_read", {
      id: isp.messages[0]!.id,
    });
    expect(read).toMatchObject({ truncated: false, to: "owner@example.org" });
    expect(read.body).toContain("Thursday between 01:00 and 05:00");
  });

  it("reads a long mail only up to its bound", async () => {
    const first = await okResult<{ messages: Array<{ id: string }> }>(jarvis, "gmail_search", {
      query: "subject:nightly",
      max: 1,
    });
    const read = await okResult<{ body: string; truncated: boolean }>(jarvis, "gmail_read", {
      id: first.messages[0]!.id,
    });
    expect(read.truncated).toBe(true);
    expect(read.body.length).toBe(8000);
  });

  it("asks before sending mail, naming the resolved recipient and the subject, then sends it", async () => {
    const asked = await jarvis.runTool(
      {
        tool: "gmail_send",
        args: { to: "me", subject: "Backup report", body: "media-config: ok\nnas-photos: failed" },
      },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe("owner@example.org");
    expect(asked.approval.reason).toContain('"Backup report"');
    expect(sim.sent).toHaveLength(0);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({
      status: "ok",
      result: { to: "owner@example.org", subject: "Backup report", sent: true },
    });
    expect(sim.sent).toHaveLength(1);
    const text = sim.sent[0]!.text;
    expect(text).toMatch(/^To: owner@example\.org\r\nSubject: Backup report\r\n/);
    const body = Buffer.from(text.split("\r\n\r\n")[1]!.replace(/\r\n/g, ""), "base64").toString("utf8");
    expect(body).toBe("media-config: ok\nnas-photos: failed");
  });

  it("refuses header injection and unreadable recipients before asking", async () => {
    const injected = await refusal(
      jarvis.runTool(
        { tool: "gmail_send", args: { to: "a@example.org", subject: "hi\r\nBcc: x@evil.example", body: "" } },
        api,
      ),
    );
    expect(injected).toMatchObject({ code: "invalid_input" });
    const bad = await refusal(
      jarvis.runTool({ tool: "gmail_send", args: { to: "sam at home", subject: "hi", body: "" } }, api),
    );
    expect(bad.message).toContain('"sam at home" is not an email address');
    expect(
      (await jarvis.approvals.list({ status: "pending" })).filter((a) => a.tool === "gmail_send"),
    ).toEqual([]);
  });

  it("lists Drive files by name and by folder, paging to the bound", async () => {
    const diagram = await okResult<{ files: Array<{ name: string; folder?: string }> }>(
      jarvis,
      "drive_list",
      {
        folder: "Homelab",
      },
    );
    expect(diagram.files).toEqual([
      expect.objectContaining({ name: "Homelab network diagram.drawio", folder: "Homelab" }),
    ]);
    const photos = await okResult<{ files: unknown[]; more?: boolean }>(jarvis, "drive_list", {
      query: "photo-",
      max: 120,
    });
    expect(photos.files).toHaveLength(120);
    expect(photos.more).toBe(true);
    const pages = sim.requests.filter(
      (r) => r.path === "/drive/v3/files" && r.query.get("q")?.includes("photo-"),
    );
    expect(pages.map((r) => r.query.get("pageSize"))).toEqual(["100", "20"]);
    const missing = await refusal(jarvis.runTool({ tool: "drive_list", args: { folder: "Homelabb" } }, api));
    expect(missing.message).toBe('Drive has no folder named "Homelabb"');
  });

  it("asks before uploading a file from an upload root, then uploads it into the folder", async () => {
    const path = join(roots, "backup-report.txt");
    const asked = await jarvis.runTool({ tool: "drive_upload", args: { path, folder: "Homelab" } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe(path);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({
      status: "ok",
      result: { name: "backup-report.txt", folder: "Homelab", type: "text/plain", uploaded: true },
    });
    expect(sim.files.find((f) => f.name === "backup-report.txt")).toMatchObject({
      parents: ["fold1"],
      content: "media-config: ok\nnas-photos: failed (stale lock)\n",
      mimeType: "text/plain",
    });
  });

  it("uploads text Jarvis wrote (a report) as a named file, after approval", async () => {
    const asked = await jarvis.runTool(
      { tool: "drive_upload", args: { name: "backup-report-2026-11-26.txt", content: "all ok\n" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe("backup-report-2026-11-26.txt");
    await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(sim.files.find((f) => f.name === "backup-report-2026-11-26.txt")).toMatchObject({
      content: "all ok\n",
      mimeType: "text/plain",
      parents: ["root"],
    });
    const both = await refusal(
      jarvis.runTool({ tool: "drive_upload", args: { path: "/etc/hosts", content: "x", name: "x" } }, api),
    );
    expect(both.message).toContain("give either path or content");
  });

  it("refuses uploads from outside the roots, through a symlink too, and never uploads them", async () => {
    const link = join(roots, "passwd-link");
    await symlink("/etc/passwd", link);
    const allowing = { source: "api", principal: adminPrincipal } as const;
    for (const path of ["/etc/passwd", link, `${roots}/../etc/passwd`]) {
      const asked = await jarvis.runTool({ tool: "drive_upload", args: { path } }, allowing);
      if (asked.status !== "approval_required") throw new Error("expected an approval");
      const decided = await refusal(
        jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal),
      );
      expect(decided).toMatchObject({ code: "invalid_input" });
    }
    expect(sim.files.some((f) => f.name === "passwd" || f.name === "passwd-link")).toBe(false);
  });

  it("takes the client secret from the secret store when the config has none", async () => {
    const secrets = jarvis.clients.secrets!;
    const client = createGoogleClient({
      clientId: CLIENT_ID,
      secrets,
      rootUrl: sim.url,
      tokenUrl: sim.tokenUrl,
    });
    const range = { timeMin: day(1, 0), timeMax: day(2, 0), max: 10 };
    const refused = await refusal(client.listEvents(range));
    expect(refused).toMatchObject({ code: "invalid_config" });
    expect(refused.message).toBe(
      "Google refused the OAuth client (invalid_client): check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
    );
    await secrets.put("google/client-secret", CLIENT_SECRET);
    try {
      const stored = createGoogleClient({
        clientId: CLIENT_ID,
        secrets,
        rootUrl: sim.url,
        tokenUrl: sim.tokenUrl,
      });
      expect((await stored.listEvents(range)).items.map((e) => e.summary)).toEqual([
        "Bin collection",
        "Team sync",
        "Dinner with Sam",
      ]);
    } finally {
      await secrets.delete("google/client-secret");
    }
  });

  it("says plainly when a response does not have the expected shape, naming the field", async () => {
    sim.respondOnce("/calendar/v3/calendars/primary/events", 200, { items: [{ id: 7, start: {} }] });
    const error = await refusal(jarvis.runTool({ tool: "calendar_list_events", args: {} }, api));
    expect(error).toMatchObject({ code: "tool_failed" });
    expect(error.message).toBe(
      "Google answered calendar/v3/calendars/{id}/events with an unexpected shape: items.0.id: Invalid input: expected string, received number",
    );
  });

  it("reports Google's errors and is healthy in /healthz", async () => {
    sim.respondOnce("/gmail/v1/users/me/messages", 503, {
      error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" },
    });
    const down = await refusal(jarvis.runTool({ tool: "gmail_search", args: { query: "x" } }, api));
    expect(down).toMatchObject({ code: "unavailable" });
    expect(down.message).toBe(
      "Google answered HTTP 503 while trying to search Gmail: The service is currently unavailable.",
    );
    const probes = await runProbes(jarvis);
    expect(probes.media).toContainEqual({ name: "google", ok: true });
  });

  it("tells the user to authorise again when the refresh token was revoked, and never shows it", async () => {
    const token = (await jarvis.clients.secrets!.get("google/refresh-token"))!.reveal();
    sim.revokeAll();
    try {
      const error = await refusal(jarvis.runTool({ tool: "drive_list", args: {} }, api));
      expect(error).toMatchObject({ code: "unauthorized" });
      expect(error.message).toBe(
        "Google refused the stored refresh token (revoked, expired or from another client): run `npm run jarvis -- google auth` again",
      );
      expect(JSON.stringify(await jarvis.audit.list({ limit: 200 }))).not.toContain(token);
      const probes = await runProbes(jarvis);
      expect(probes.status).toBe("degraded");
    } finally {
      await jarvis.clients.secrets!.put("google/refresh-token", sim.issueRefreshToken());
    }
  });
});

describe("the Google toolset when Google cannot be used", () => {
  it("says to run google auth when no token is stored, and that Google is unreachable when it is down", async () => {
    const sim = await startGoogleSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const jarvis = await createTestJarvis({ config: testConfig({}, googleEnv(sim)) });
    try {
      const error = await refusal(jarvis.runTool({ tool: "calendar_list_events", args: {} }, api));
      expect(error).toMatchObject({ code: "unauthorized" });
      expect(error.message).toMatch(/^Google is not authorised yet: run `npm run jarvis -- google auth`/);

      await jarvis.clients.secrets!.put("google/refresh-token", sim.issueRefreshToken());
      await sim.close();
      const down = await refusal(jarvis.runTool({ tool: "gmail_search", args: { query: "x" } }, api));
      expect(down).toMatchObject({ code: "unavailable" });
      expect(down.message).toMatch(
        /^Google \(127\.0\.0\.1:\d+\) is unreachable while trying to search Gmail/,
      );
    } finally {
      await jarvis.close();
      await sim.close();
    }
  });

  it("says how to configure Google when it is not", async () => {
    const jarvis = await createTestJarvis();
    try {
      const error = await refusal(jarvis.runTool({ tool: "drive_list", args: {} }, api));
      expect(error).toMatchObject({ code: "unavailable" });
      expect(error.message).toMatch(/^Google is not configured: set GOOGLE_CLIENT_ID/);
    } finally {
      await jarvis.close();
    }
  });
});
