import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { runProbes } from "../src/server/probes.ts";
import { startTestContainer } from "./helpers/docker-engine.ts";
import { adminPrincipal, createTestJarvis, operatorPrincipal, testConfig } from "./helpers/jarvis.ts";
import { refusal } from "./helpers/tool-calls.ts";
import { type PlexSim, startPlexSim } from "./sim/plex/server.ts";

const api = { source: "api", principal: operatorPrincipal } as const;
const TOKEN = "plex-test-token-8c1f";

const plexEnv = (url: string, token = TOKEN, extra: Record<string, string> = {}) => ({
  PLEX_URL: url,
  PLEX_TOKEN: token,
  PLEX_PATH_MAP: "/srv/media=/media",
  ...extra,
});

describe("the Plex toolset against the Plex simulator, through the gate", () => {
  let sim: PlexSim;
  let jarvis: Jarvis;

  beforeAll(async () => {
    sim = await startPlexSim({
      token: TOKEN,
      sessions: [
        {
          user: "anna",
          title: "Dune: Part Two",
          type: "movie",
          year: 2024,
          player: "Anna's iPad",
          progress: 0.47,
        },
        {
          user: "ben",
          title: "Good News About Hell",
          type: "episode",
          show: "Severance",
          season: 1,
          episode: 1,
          player: "Living Room TV",
          transcode: true,
        },
      ],
    });
    jarvis = await createTestJarvis({ config: testConfig({}, plexEnv(sim.url)) });
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
  });

  it("lists the libraries with item counts and folders", async () => {
    const run = await jarvis.runTool({ tool: "plex_list_libraries", args: {} }, api);
    expect(run).toMatchObject({
      status: "ok",
      result: {
        libraries: [
          { key: "1", title: "Movies", type: "movie", items: 3, folders: ["/media/movies"] },
          { key: "2", title: "TV Shows", type: "show", items: 1, folders: ["/media/tv"] },
          { key: "3", title: "Music", type: "artist", items: 0, folders: ["/media/music"] },
        ],
      },
    });
  });

  it("says what is playing and for whom", async () => {
    const run = await jarvis.runTool({ tool: "plex_now_playing", args: {} }, api);
    expect(run).toMatchObject({
      status: "ok",
      result: {
        sessions: [
          {
            user: "anna",
            title: "Dune: Part Two",
            player: "Anna's iPad",
            progressPercent: 47,
            decision: "direct play",
          },
          { user: "ben", title: "Severance S01E01: Good News About Hell", decision: "transcode" },
        ],
      },
    });
  });

  it("searches every library", async () => {
    const run = await jarvis.runTool({ tool: "plex_search", args: { query: "dune" } }, api);
    expect(run).toMatchObject({
      status: "ok",
      result: {
        query: "dune",
        results: [
          { title: "Dune", year: 2021, library: "Movies" },
          { title: "Dune: Part Two", year: 2024, library: "Movies" },
        ],
      },
    });
    const none = await jarvis.runTool({ tool: "plex_search", args: { query: "zzz" } }, api);
    expect(none).toMatchObject({ status: "ok", result: { results: [] } });
  });

  it("asks before a scan, then scans only the folder given (a local path mapped to Plex's)", async () => {
    const asked = await jarvis.runTool(
      { tool: "plex_scan_library", args: { library: "movies", path: "/srv/media/movies/Arrival (2016)" } },
      api,
    );
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.target).toBe("movies");
    expect(sim.refreshes).toEqual([]);
    const decided = await jarvis.decideApproval(asked.approval.id, { decision: "approve" }, adminPrincipal);
    expect(decided.run).toMatchObject({
      status: "ok",
      result: { library: "Movies", key: "1", path: "/media/movies/Arrival (2016)", scanning: true },
    });
    expect(sim.refreshes).toEqual([{ key: "1", path: "/media/movies/Arrival (2016)" }]);
  });

  it("refuses a folder outside the library and an unknown library, scanning nothing", async () => {
    sim.refreshes.length = 0;
    const allowing = await createTestJarvis({
      config: testConfig(
        { policy: { rules: [{ tool: "plex_scan_library", action: "allow" }] } },
        plexEnv(sim.url),
      ),
    });
    try {
      const outside = await refusal(
        allowing.runTool(
          { tool: "plex_scan_library", args: { library: "Movies", path: "/srv/media/tv/x" } },
          api,
        ),
      );
      expect(outside.code).toBe("invalid_input");
      expect(outside.message).toContain("not inside the Movies library's folders (/media/movies)");
      const traversal = await refusal(
        allowing.runTool(
          { tool: "plex_scan_library", args: { library: "Movies", path: "/media/movies/../../etc" } },
          api,
        ),
      );
      expect(traversal.code).toBe("invalid_input");
      const unknown = await refusal(
        allowing.runTool({ tool: "plex_scan_library", args: { library: "Anime" } }, api),
      );
      expect(unknown).toMatchObject({ code: "not_found" });
      expect(unknown.message).toBe('Plex has no library "Anime". Libraries: Movies, TV Shows, Music');
      expect(sim.refreshes).toEqual([]);
      const whole = await allowing.runTool({ tool: "plex_scan_library", args: { library: "2" } }, api);
      expect(whole).toMatchObject({ status: "ok", result: { library: "TV Shows", path: null } });
      expect(sim.refreshes).toEqual([{ key: "2", path: null }]);
    } finally {
      await allowing.close();
    }
  });

  it("says who is streaming in the approval request to restart the Plex container", async () => {
    const docker = new Docker({ socketPath: inject("dockerSocket") });
    const name = `plex-${inject("testRunId")}-warn`;
    await startTestContainer(docker, { name, runId: inject("testRunId") });
    const asked = await jarvis.runTool({ tool: "docker_restart_container", args: { container: name } }, api);
    if (asked.status !== "approval_required") throw new Error("expected an approval");
    expect(asked.approval.reason).toMatch(/Warning: 2 people are streaming from Plex \(anna, ben\)$/);
    const streams = sim.sessions.splice(0);
    try {
      const quiet = await jarvis.runTool({ tool: "docker_stop_container", args: { container: name } }, api);
      if (quiet.status !== "approval_required") throw new Error("expected an approval");
      expect(quiet.approval.reason).not.toContain("Warning");
    } finally {
      sim.sessions.push(...streams);
      await docker.getContainer(name).remove({ force: true });
    }
  });

  it("shows Plex in /healthz and keeps the token out of audit rows", async () => {
    const probes = await runProbes(jarvis);
    expect(probes.media).toEqual([{ name: "plex", ok: true }]);
    expect(probes.status).toBe("ok");
    const rows = await jarvis.audit.list({ limit: 50 });
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
  });
});

describe("Plex failures are clear errors", () => {
  let sim: PlexSim;
  beforeAll(async () => {
    sim = await startPlexSim({ token: TOKEN });
  });
  afterAll(() => sim?.close());

  it("a bad token is unauthorized, names PLEX_TOKEN, never the token, and degrades /healthz", async () => {
    const jarvis = await createTestJarvis({ config: testConfig({}, plexEnv(sim.url, "wrong-token-123")) });
    try {
      const error = await refusal(jarvis.runTool({ tool: "plex_list_libraries", args: {} }, api));
      expect(error.code).toBe("unauthorized");
      expect(error.message).toBe(`Plex at ${sim.url} refused the token (HTTP 401): check PLEX_TOKEN`);
      expect(error.message).not.toContain("wrong-token-123");
      const probes = await runProbes(jarvis);
      expect(probes.status).toBe("degraded");
      expect(probes.media[0]).toMatchObject({ name: "plex", ok: false });
    } finally {
      await jarvis.close();
    }
  });

  it("an unexpected response shape names the field", async () => {
    const jarvis = await createTestJarvis({ config: testConfig({}, plexEnv(sim.url)) });
    sim.fault = "malformed";
    try {
      const error = await refusal(jarvis.runTool({ tool: "plex_list_libraries", args: {} }, api));
      expect(error.code).toBe("tool_failed");
      expect(error.message).toMatch(
        /^Plex answered \/library\/sections with an unexpected shape: MediaContainer\.Directory\.0\.key: /,
      );
    } finally {
      sim.fault = "none";
      await jarvis.close();
    }
  });

  it("a server that does not answer times out; a server that is down is unavailable", async () => {
    const jarvis = await createTestJarvis({
      config: testConfig({}, plexEnv(sim.url, TOKEN, { PLEX_TIMEOUT_SECONDS: "0.3" })),
    });
    sim.fault = "slow";
    try {
      const slow = await refusal(jarvis.runTool({ tool: "plex_now_playing", args: {} }, api));
      expect(slow.code).toBe("timeout");
      expect(slow.message).toBe(`Plex at ${sim.url} did not answer /status/sessions in 300 ms`);
      sim.fault = "none";
      await sim.close();
      const down = await refusal(jarvis.runTool({ tool: "plex_now_playing", args: {} }, api));
      expect(down.code).toBe("unavailable");
      expect(down.message).toMatch(new RegExp(`^Plex at ${sim.url} is unreachable \\(ECONNREFUSED\\)$`));
    } finally {
      await jarvis.close();
    }
  });

  it("without PLEX_URL the tools say how to configure Plex, and /healthz has no Plex probe", async () => {
    const jarvis = await createTestJarvis();
    try {
      const error = await refusal(jarvis.runTool({ tool: "plex_now_playing", args: {} }, api));
      expect(error).toMatchObject({
        code: "unavailable",
        message: "Plex is not configured: set PLEX_URL and PLEX_TOKEN (see README)",
      });
      expect((await runProbes(jarvis)).media).toEqual([]);
    } finally {
      await jarvis.close();
    }
  });
});
