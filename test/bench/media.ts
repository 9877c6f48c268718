import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createJarvis } from "../../src/jarvis.ts";
import { silentLogger } from "../../src/log.ts";
import { startPlexSim } from "../sim/plex/server.ts";
import { percentile, round, time } from "./stats.ts";

const TOKEN = "bench-token";

/** Release-style names for the import-plan half: movies and episodes with real tails. */
function downloadNames(n: number): string[] {
  const tails = ["1080p.BluRay.x264-SPARKS.mkv", "2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX.mkv"];
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? `Movie.Number.${i}.${1950 + (i % 70)}.${tails[i % 2]}`
      : `Show.${i % 40}.S${String(1 + (i % 9)).padStart(2, "0")}E${String(1 + (i % 20)).padStart(2, "0")}.${tails[i % 2]}`,
  );
}

/**
 * The Plex toolset's overhead: plex_now_playing through runTool (validation, policy, audit rows,
 * client, zod) against a raw fetch of /status/sessions from the same simulator, interleaved; and
 * plex_plan_import of a 1000-file download folder against a raw recursive readdir of it.
 */
export async function benchMedia(options: { calls: number }) {
  const sim = await startPlexSim({
    token: TOKEN,
    sessions: [
      { user: "anna", title: "Dune: Part Two", type: "movie", player: "iPad" },
      {
        user: "ben",
        title: "Half Loop",
        type: "episode",
        show: "Severance",
        season: 1,
        episode: 2,
        player: "TV",
      },
    ],
  });
  const base = mkdtempSync(join(tmpdir(), "jarvis-bench-media-"));
  const downloads = join(base, "downloads");
  mkdirSync(downloads);
  mkdirSync(join(base, "movies"));
  mkdirSync(join(base, "tv"));
  for (const name of downloadNames(1000)) writeFileSync(join(downloads, name), "");
  const config = {
    ...loadConfig({
      JARVIS_DATA_DIR: "memory://",
      PLEX_URL: sim.url,
      PLEX_TOKEN: TOKEN,
      JARVIS_MOVIES_DIR: join(base, "movies"),
      JARVIS_TV_DIR: join(base, "tv"),
    }),
    dataDir: "memory://",
  };
  const database = await openDatabase({ dataDir: "memory://" });
  const jarvis = await createJarvis(config, { log: silentLogger, database });
  const api = { source: "api", principal: { id: "bench", name: "bench", role: "admin" } } as const;
  try {
    const viaGate = () => jarvis.runTool({ tool: "plex_now_playing", args: {} }, api);
    const direct = () =>
      fetch(`${sim.url}/status/sessions`, {
        headers: { Accept: "application/json", "X-Plex-Token": TOKEN },
      }).then((r) => r.json());
    for (let i = 0; i < 20; i++) {
      await viaGate();
      await direct();
    }
    const gate: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < options.calls; i++) {
      raw.push(await time(direct));
      gate.push(await time(viaGate));
    }
    const plan: number[] = [];
    const listing: number[] = [];
    for (let i = 0; i < 20; i++) {
      listing.push(await time(async () => readdirSync(downloads, { recursive: true, withFileTypes: true })));
      plan.push(
        await time(() => jarvis.runTool({ tool: "plex_plan_import", args: { source: downloads } }, api)),
      );
    }
    const p50 = (xs: number[]) => percentile(xs, 50);
    return {
      now_playing: {
        what: "plex_now_playing through runTool vs a raw fetch of /status/sessions (same simulator, interleaved)",
        calls: options.calls,
        gate_ms: { p50: round(p50(gate)), p95: round(percentile(gate, 95)) },
        raw_ms: { p50: round(p50(raw)), p95: round(percentile(raw, 95)) },
        ratio_p50: round(p50(gate) / p50(raw), 2),
      },
      plan_import: {
        what: "plex_plan_import of 1000 release-named files through runTool vs a raw recursive readdir of the folder",
        files: 1000,
        runs: 20,
        plan_ms_p50: round(p50(plan)),
        readdir_ms_p50: round(p50(listing)),
        ratio_p50: round(p50(plan) / p50(listing), 2),
      },
    };
  } finally {
    await jarvis.close();
    await database.close();
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  }
}
