import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import type { JobView } from "../src/jobs/types.ts";
import { createApp } from "../src/server/app.ts";
import { createChatClient, textOf } from "./helpers/chat-client.ts";
import { fileTree, putFile } from "./helpers/files.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { type PlexSim, startPlexSim } from "./sim/plex/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const TOKEN = "plex-import-job-token";

/** Polls the job until `ok` holds for it (no time limit of its own: the test's timeout is the limit). */
async function until(jarvis: Jarvis, id: string, ok: (job: JobView) => boolean): Promise<JobView> {
  for (;;) {
    const job = await jarvis.jobs.get(id);
    if (job && ok(job)) return job;
    if (job?.state === "failed") throw new Error(`job ${id} failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("plex_import_media runs as a plex.import job (in-process queue)", { timeout: 120_000 }, () => {
  let sim: PlexSim;
  let base: string;
  let library: string;
  const opened: Jarvis[] = [];
  const cleanup: string[] = [];

  const env = (extra: Record<string, string> = {}) => ({
    PLEX_URL: sim.url,
    PLEX_TOKEN: TOKEN,
    PLEX_PATH_MAP: `${library}=/media`,
    JARVIS_MOVIES_DIR: join(library, "movies"),
    JARVIS_TV_DIR: join(library, "tv"),
    ...extra,
  });
  const open = async (extra: Record<string, string> = {}, allow = false) => {
    const jarvis = await createTestJarvis({
      config: testConfig(
        allow ? { policy: { rules: [{ tool: "plex_import_media", action: "allow" }] } } : {},
        env(extra),
      ),
    });
    opened.push(jarvis);
    return jarvis;
  };

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "jarvis-import-job-"));
    library = join(base, "library");
    mkdirSync(join(library, "movies"), { recursive: true });
    sim = await startPlexSim({ token: TOKEN });
  });
  afterAll(async () => {
    for (const jarvis of opened) await jarvis.close();
    await sim?.close();
    for (const dir of [base, ...cleanup]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("an approved import is a job: its result, progress and worker show in /api/jobs, files placed, folders scanned", async () => {
    mkdirSync(join(library, "tv"), { recursive: true });
    sim.refreshes.length = 0;
    const downloads = join(base, "downloads-1");
    putFile(join(downloads, "Heat.1995.1080p.BluRay.x264-1920", "h-1920.mkv"), "heat");
    putFile(join(downloads, "Severance.S01E02.Half.Loop.1080p.WEB.H264-GGEZ.mkv"), "severance");
    const jarvis = await open();
    expect(jarvis.jobs.kind).toBe("in-process");

    const asked = await jarvis.runTool({ tool: "plex_import_media", args: { source: downloads } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(await jarvis.jobs.list({ name: "plex.import" })).toEqual([]);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    if (decided.run?.status !== "ok") throw new Error("expected a result");
    const result = decided.run.result as { job: string; imported: Array<{ to: string }>; skipped: unknown[] };
    expect(result.skipped).toEqual([]);
    expect(result.imported.map((i) => i.to.slice(library.length + 1)).sort()).toEqual([
      "movies/Heat (1995)/Heat (1995).mkv",
      "tv/Severance/Season 01/Severance - s01e02.mkv",
    ]);
    const moviePath = join(library, "movies", "Heat (1995)", "Heat (1995).mkv");
    expect(statSync(moviePath).ino).toBe(
      statSync(join(downloads, "Heat.1995.1080p.BluRay.x264-1920", "h-1920.mkv")).ino,
    );

    const { token } = await jarvis.tokens.create({ name: "ops", role: "operator" });
    const res = await createApp(jarvis).request(`/api/jobs/${result.job}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const { job } = (await res.json()) as { job: JobView };
    expect(job).toMatchObject({
      name: "plex.import",
      state: "completed",
      attempts: 1,
      progress: { stage: "done", filesDone: 2, totalFiles: 2 },
      data: { source: downloads, mode: "hardlink", requester: operatorPrincipal.id, surface: "api" },
      result: { mode: "hardlink", skipped: [] },
    });
    expect(job.worker).toMatch(/:\d+$/);
    expect((job.result as { imported: unknown[] }).imported).toHaveLength(2);
    expect(JSON.stringify(job.data)).not.toContain(TOKEN);
    expect(sim.refreshes.sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual([
      { key: "1", path: "/media/movies/Heat (1995)" },
      { key: "2", path: "/media/tv/Severance/Season 01" },
    ]);
    // The audit row is the gate's: the call, approved, ok.
    const [audit] = await jarvis.audit.list({ tool: "plex_import_media" });
    expect(audit).toMatchObject({ outcome: "ok", approvalId: asked.approval.id });
  });

  it("a retried move after a partial attempt files the rest, counts what was moved as imported, and scans once", async () => {
    // No TV root yet: the first attempt moves the movie, then stops at the episode.
    rmSync(join(library, "tv"), { recursive: true, force: true });
    sim.refreshes.length = 0;
    const downloads = join(base, "downloads-2");
    putFile(join(downloads, "Alien.1979.Directors.Cut.1080p.mkv"), "alien");
    putFile(join(downloads, "Better.Call.Saul.S01E01.720p.mkv"), "saul");
    putFile(join(downloads, "Casablanca.1942.1080p.mkv"), "casablanca");
    const jarvis = await open({ JARVIS_IMPORT_WAIT_SECONDS: "0" }, true);

    const run = await jarvis.runTool(
      { tool: "plex_import_media", args: { source: downloads, mode: "move" } },
      api,
    );
    if (run.status !== "ok") throw new Error("expected a result");
    const answer = run.result as { job: string; message: string };
    expect(answer.message).toContain(`continues in the background as job ${answer.job}`);
    expect(answer.message).toContain(`/api/jobs/${answer.job}`);

    const failedOnce = await until(jarvis, answer.job, (j) => j.state === "delayed" && j.attempts >= 1);
    expect(failedOnce.error).toContain("library root");
    expect(fileTree(downloads)).toEqual(["Better.Call.Saul.S01E01.720p.mkv", "Casablanca.1942.1080p.mkv"]);
    expect(fileTree(join(library, "movies"))).toContain("Alien (1979)/Alien (1979).mkv");
    expect(sim.refreshes).toEqual([]);
    mkdirSync(join(library, "tv"));

    const done = await until(jarvis, answer.job, (j) => j.state === "completed");
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const result = done.result as {
      imported: Array<{ to: string; placedEarlier?: true }>;
      skipped: unknown[];
    };
    expect(result.skipped).toEqual([]);
    expect(
      result.imported.map((i) => [i.to.slice(library.length + 1), i.placedEarlier ?? false]).sort(),
    ).toEqual([
      ["movies/Alien (1979)/Alien (1979).mkv", true],
      ["movies/Casablanca (1942)/Casablanca (1942).mkv", false],
      ["tv/Better Call Saul/Season 01/Better Call Saul - s01e01.mkv", false],
    ]);
    expect(fileTree(downloads)).toEqual([]);
    expect(readFileSync(join(library, "movies", "Alien (1979)", "Alien (1979).mkv"), "utf8")).toBe("alien");
    expect(done.progress).toEqual({ stage: "done", filesDone: 3, totalFiles: 3 });
    expect(sim.refreshes.map((r) => r.path).sort()).toEqual([
      "/media/movies/Alien (1979)",
      "/media/movies/Casablanca (1942)",
      "/media/tv/Better Call Saul/Season 01",
    ]);
  });

  it("a retried copy replaces a copy cut short (never left looking complete), keeps what was copied, and still never replaces another file", async () => {
    rmSync(join(library, "tv"), { recursive: true, force: true });
    const downloads = join(base, "downloads-3");
    const big = "x".repeat(3 << 20);
    putFile(join(downloads, "Amelie.2001.1080p.mkv"), "amelie");
    putFile(join(downloads, "Barry.S02E05.1080p.mkv"), "barry");
    putFile(join(downloads, "Chinatown.1974.1080p.mkv"), big);
    putFile(join(downloads, "Dune.2021.1080p.mkv"), "dune from downloads");
    putFile(join(library, "movies", "Dune (2021)", "Dune (2021).mkv"), "dune kept");
    const jarvis = await open({ JARVIS_IMPORT_WAIT_SECONDS: "0" }, true);
    const run = await jarvis.runTool(
      { tool: "plex_import_media", args: { source: downloads, mode: "copy" } },
      api,
    );
    if (run.status !== "ok") throw new Error("expected a result");
    const { job } = run.result as { job: string };
    await until(jarvis, job, (j) => j.state === "delayed");
    const amelie = join(library, "movies", "Amelie (2001)", "Amelie (2001).mkv");
    const amelieIno = statSync(amelie).ino;
    // What a worker killed in the middle of copying Chinatown leaves: a hidden partial file only.
    const folder = join(library, "movies", "Chinatown (1974)");
    putFile(join(folder, ".Chinatown (1974).mkv.jarvis-partial"), big.slice(0, 1 << 20));
    mkdirSync(join(library, "tv"));

    const done = await until(jarvis, job, (j) => j.state === "completed");
    const result = done.result as {
      imported: Array<{ to: string; placedEarlier?: true }>;
      skipped: Array<{ to: string; reason: string }>;
    };
    expect(result.skipped).toEqual([
      {
        from: join(downloads, "Dune.2021.1080p.mkv"),
        to: join(library, "movies", "Dune (2021)", "Dune (2021).mkv"),
        reason: expect.stringMatching(/already exists; it was left as it is$/),
      },
    ]);
    expect(readFileSync(join(library, "movies", "Dune (2021)", "Dune (2021).mkv"), "utf8")).toBe("dune kept");
    expect(result.imported).toHaveLength(3);
    expect(result.imported.find((i) => i.to === amelie)?.placedEarlier).toBe(true);
    expect(statSync(amelie).ino).toBe(amelieIno);
    expect(readdirSync(folder)).toEqual(["Chinatown (1974).mkv"]);
    expect(readFileSync(join(folder, "Chinatown (1974).mkv"), "utf8")).toBe(big);
    expect(readFileSync(join(downloads, "Chinatown.1974.1080p.mkv"), "utf8")).toBe(big);
  });

  it("the local engine says an import goes on in the background, and where to follow it", async () => {
    // The local engine reads paths lower-cased, and mkdtemp's names have capitals.
    const downloads = join(tmpdir(), `jarvis-import-chat-${process.pid}`);
    putFile(join(downloads, "Gattaca.1997.1080p.mkv"), "gattaca");
    cleanup.push(downloads);
    const jarvis = await open({ JARVIS_IMPORT_WAIT_SECONDS: "0" }, true);
    const app = createApp(jarvis);
    const { token } = await jarvis.tokens.create({ name: "admin", role: "admin" });
    const chat = createChatClient((input, init) => Promise.resolve(app.request(String(input), init)), token);
    const reply = await chat.say("import-background", `import ${downloads} into plex`);
    const [job] = await jarvis.jobs.list({ name: "plex.import" });
    expect(textOf(reply.message)).toMatch(
      new RegExp(
        `^The import from ${downloads} continues in the background as job ${job!.id} \\([01] of 1 file so far\\); follow it in the Jobs view\\.$`,
      ),
    );
    await until(jarvis, job!.id, (j) => j.state === "completed");
    expect(fileTree(join(library, "movies", "Gattaca (1997)"))).toEqual(["Gattaca (1997).mkv"]);
  });
});
