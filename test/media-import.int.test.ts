import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { fileTree, putFile } from "./helpers/files.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { refusal } from "./helpers/tool-calls.ts";
import { type PlexSim, startPlexSim } from "./sim/plex/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const TOKEN = "plex-import-token";

describe("media import on real directories (plan, hard links, collisions, escapes, scans)", () => {
  let sim: PlexSim;
  let jarvis: Jarvis;
  let allowing: Jarvis;
  let base: string;
  let downloads: string;
  let library: string;
  let outside: string;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "jarvis-import-"));
    downloads = join(base, "downloads");
    library = join(base, "library");
    outside = join(base, "outside");
    mkdirSync(join(library, "movies"), { recursive: true });
    mkdirSync(join(library, "tv"), { recursive: true });
    mkdirSync(outside);
    putFile(
      join(
        downloads,
        "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL",
        "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL.mkv",
      ),
      "arrival",
    );
    putFile(join(downloads, "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL", "Sample", "arrival-sample.mkv"));
    putFile(join(downloads, "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL", "Arrival.nfo"));
    putFile(join(downloads, "Heat.1995.1080p.BluRay.x264-1920", "h-1920.mkv"), "heat");
    putFile(join(downloads, "Severance.S01E02.Half.Loop.1080p.WEB.H264-GGEZ.mkv"), "severance");
    putFile(join(downloads, "The.Office.US.S05E14E15.720p.mkv"), "office");
    putFile(join(downloads, "home video.mp4"), "unknown");
    sim = await startPlexSim({ token: TOKEN });
    const env = {
      PLEX_URL: sim.url,
      PLEX_TOKEN: TOKEN,
      PLEX_PATH_MAP: `${library}=/media`,
      JARVIS_MOVIES_DIR: join(library, "movies"),
      JARVIS_TV_DIR: join(library, "tv"),
    };
    jarvis = await createTestJarvis({ config: testConfig({}, env) });
    allowing = await createTestJarvis({
      config: testConfig({ policy: { rules: [{ tool: "plex_import_media", action: "allow" }] } }, env),
    });
  });
  afterAll(async () => {
    await jarvis?.close();
    await allowing?.close();
    await sim?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("plans with Plex naming, lists what it cannot read, and changes nothing", async () => {
    const before = fileTree(downloads);
    const run = await jarvis.runTool({ tool: "plex_plan_import", args: { source: downloads } }, api);
    if (run.status !== "ok") throw new Error("expected a result");
    const result = run.result as {
      files: Array<{ from: string; to: string }>;
      unparsed: Array<{ file: string }>;
    };
    expect(result.files.map((f) => f.to.slice(library.length + 1)).sort()).toEqual([
      "movies/Arrival (2016)/Arrival (2016).mkv",
      "movies/Heat (1995)/Heat (1995).mkv",
      "tv/Severance/Season 01/Severance - s01e02.mkv",
      "tv/The Office US/Season 05/The Office US - s05e14-e15.mkv",
    ]);
    expect(result.unparsed.map((u) => u.file)).toEqual([join(downloads, "home video.mp4")]);
    expect(fileTree(downloads)).toEqual(before);
    expect(fileTree(library)).toEqual([]);
    expect(sim.refreshes).toEqual([]);
  });

  it("asks first, then hard-links into the roots and scans only the touched folders", async () => {
    const asked = await jarvis.runTool({ tool: "plex_import_media", args: { source: downloads } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(fileTree(library)).toEqual([]);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({ status: "ok", result: { mode: "hardlink", skipped: [] } });
    const linked = join(library, "movies", "Arrival (2016)", "Arrival (2016).mkv");
    const original = join(
      downloads,
      "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL",
      "Arrival.2016.2160p.UHD.BluRay.x265-TERMiNAL.mkv",
    );
    expect(statSync(linked).ino).toBe(statSync(original).ino);
    expect(statSync(original).nlink).toBe(2);
    expect(
      readFileSync(join(library, "tv", "Severance", "Season 01", "Severance - s01e02.mkv"), "utf8"),
    ).toBe("severance");
    expect(sim.refreshes.sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual([
      { key: "1", path: "/media/movies/Arrival (2016)" },
      { key: "1", path: "/media/movies/Heat (1995)" },
      { key: "2", path: "/media/tv/Severance/Season 01" },
      { key: "2", path: "/media/tv/The Office US/Season 05" },
    ]);
  });

  it("never overwrites: a second import skips every existing file and scans nothing", async () => {
    sim.refreshes.length = 0;
    writeFileSync(join(library, "movies", "Heat (1995)", "Heat (1995).mkv"), "a better copy");
    const run = await allowing.runTool(
      { tool: "plex_import_media", args: { source: downloads, mode: "copy" } },
      api,
    );
    if (run.status !== "ok") throw new Error("expected a result");
    const result = run.result as { imported: unknown[]; skipped: Array<{ reason: string }> };
    expect(result.imported).toEqual([]);
    expect(result.skipped).toHaveLength(4);
    expect(result.skipped[0]!.reason).toMatch(/already exists; it was left as it is$/);
    expect(readFileSync(join(library, "movies", "Heat (1995)", "Heat (1995).mkv"), "utf8")).toBe(
      "a better copy",
    );
    expect(sim.refreshes).toEqual([]);
  });

  it("refuses a destination that a symlink points outside the library root", async () => {
    symlinkSync(outside, join(library, "movies", "Evil (2020)"));
    const source = join(base, "evil", "Evil.2020.1080p.WEB.x264.mkv");
    putFile(source, "evil");
    const run = await allowing.runTool({ tool: "plex_import_media", args: { source } }, api);
    if (run.status !== "ok") throw new Error("expected a result");
    expect(run.result).toMatchObject({ imported: [], skipped: [{ from: source }] });
    expect((run.result as { skipped: Array<{ reason: string }> }).skipped[0]!.reason).toContain(
      "outside the library root",
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it("never turns a file name into a path out of the library (traversal attempts are listed, not filed)", async () => {
    const source = join(base, "traversal");
    putFile(join(source, ".. (2016).mkv"), "x");
    putFile(join(source, "....2016.1080p.mkv"), "x");
    putFile(join(source, "..%2F..%2Fetc.S01E01.mkv"), "x");
    const run = await jarvis.runTool({ tool: "plex_plan_import", args: { source } }, api);
    if (run.status !== "ok") throw new Error("expected a result");
    const result = run.result as { files: Array<{ to: string }>; unparsed: Array<{ file: string }> };
    for (const file of result.files) expect(file.to.startsWith(`${library}/`)).toBe(true);
    for (const file of result.files) expect(file.to.split("/")).not.toContain("..");
    expect(result.files.length + result.unparsed.length).toBe(3);
    expect(result.unparsed.map((u) => u.file)).toContain(join(source, ".. (2016).mkv"));
  });

  it("moves when asked (the download is gone, the library has it), and only for the library named", async () => {
    const source = join(base, "moving");
    putFile(join(source, "Dune.Part.Two.2024.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX.mkv"), "dune");
    putFile(join(source, "Shogun.2024.S01E01.Anjin.2160p.mkv"), "shogun");
    const run = await allowing.runTool(
      { tool: "plex_import_media", args: { source, mode: "move", library: "Movies" } },
      api,
    );
    expect(run).toMatchObject({
      status: "ok",
      result: {
        mode: "move",
        imported: [{ to: join(library, "movies", "Dune Part Two (2024)", "Dune Part Two (2024).mkv") }],
        unparsed: [{ file: join(source, "Shogun.2024.S01E01.Anjin.2160p.mkv") }],
      },
    });
    expect(fileTree(source)).toEqual(["Shogun.2024.S01E01.Anjin.2160p.mkv"]);
  });

  it("a dry run is a read (no approval) and changes nothing; bad input is a clear error", async () => {
    const source = join(base, "dry");
    putFile(join(source, "Her.2013.720p.mkv"), "her");
    const run = await jarvis.runTool({ tool: "plex_import_media", args: { source, dry_run: true } }, api);
    expect(run).toMatchObject({
      status: "ok",
      result: { dryRun: true, files: [{ to: join(library, "movies", "Her (2013)", "Her (2013).mkv") }] },
    });
    expect(existsSync(join(library, "movies", "Her (2013)"))).toBe(false);
    const missing = await refusal(
      jarvis.runTool({ tool: "plex_plan_import", args: { source: join(base, "nope") } }, api),
    );
    expect(missing).toMatchObject({ code: "not_found", message: `${join(base, "nope")} does not exist` });
    const music = await refusal(
      jarvis.runTool({ tool: "plex_plan_import", args: { source, library: "Music" } }, api),
    );
    expect(music.code).toBe("invalid_input");
    const relative = await refusal(
      jarvis.runTool({ tool: "plex_plan_import", args: { source: "downloads" } }, api),
    );
    expect(relative.code).toBe("invalid_input");
  });
});
