/**
 * A Plex Media Server simulator for tests: the endpoints Jarvis uses, in Plex's JSON wire format
 * (`Accept: application/json`), with the token check and paging headers a real server applies.
 *
 * Follows Plex's documentation:
 * - Authentication with `X-Plex-Token` (header or query parameter); requests without a valid token
 *   answer 401, except `/identity`: https://support.plex.tv/articles/204059436-finding-an-authentication-token-x-plex-token/
 *   and https://support.plex.tv/articles/201638786-plex-media-server-url-commands/
 * - The Plex Media Server API reference (https://developer.plex.tv/pms/): `GET /identity`
 *   (`MediaContainer {size, claimed, machineIdentifier, version}`), `GET /library/sections`
 *   (`MediaContainer.Directory[] {key, title, type, scannedAt, refreshing, Location[] {id, path}}`),
 *   `GET /library/sections/{key}/all` with `X-Plex-Container-Start` / `X-Plex-Container-Size`
 *   (`MediaContainer {size, totalSize, offset, Metadata[]}`), `GET /library/sections/{key}/refresh[?path=]`
 *   (200, empty body; scans the section or only that folder), `GET /status/sessions`
 *   (`MediaContainer.Metadata[]` with `User {title}`, `Player {title, product, state}`, `Session
 *   {bandwidth, location}`, `TranscodeSession {videoDecision}`) and `GET /search?query=`
 *   (`MediaContainer.Metadata[]` with `librarySectionTitle`).
 * Numbers are JSON numbers and flags JSON booleans, as Plex sends them in JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SimItem {
  title: string;
  type: string;
  year?: number;
  childCount?: number;
  leafCount?: number;
}

export interface SimSection {
  key: string;
  title: string;
  type: "movie" | "show" | "artist" | "photo";
  locations: string[];
  items: SimItem[];
  scannedAt?: number;
}

export interface SimSession {
  user: string;
  title: string;
  type: "movie" | "episode" | "track";
  year?: number;
  show?: string;
  season?: number;
  episode?: number;
  player: string;
  state?: "playing" | "paused" | "buffering";
  progress?: number;
  transcode?: boolean;
}

export interface PlexSimOptions {
  token: string;
  sections?: SimSection[];
  sessions?: SimSession[];
  port?: number;
}

/** A running simulator; its state is plain data a test may change between calls. */
export interface PlexSim {
  url: string;
  sections: SimSection[];
  sessions: SimSession[];
  /** Every refresh asked for, in order. */
  refreshes: Array<{ key: string; path: string | null }>;
  /** Every request path received (without query), for tests that check what was (not) called. */
  requests: string[];
  /** `malformed`: /library/sections answers keys as numbers; `slow`: never answers. */
  fault: "none" | "malformed" | "slow";
  close(): Promise<void>;
}

export const defaultSections = (): SimSection[] => [
  {
    key: "1",
    title: "Movies",
    type: "movie",
    locations: ["/media/movies"],
    scannedAt: 1_764_200_000,
    items: [
      { title: "Dune", type: "movie", year: 2021 },
      { title: "Dune: Part Two", type: "movie", year: 2024 },
      { title: "Arrival", type: "movie", year: 2016 },
    ],
  },
  {
    key: "2",
    title: "TV Shows",
    type: "show",
    locations: ["/media/tv"],
    items: [{ title: "Severance", type: "show", year: 2022, childCount: 2, leafCount: 19 }],
  },
  { key: "3", title: "Music", type: "artist", locations: ["/media/music"], items: [] },
];

function json(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sessionMetadata(s: SimSession, i: number) {
  const duration = 7_200_000;
  return {
    sessionKey: String(i + 1),
    type: s.type,
    title: s.title,
    year: s.year,
    ...(s.show ? { grandparentTitle: s.show, parentIndex: s.season, index: s.episode } : {}),
    duration,
    viewOffset: Math.round(duration * (s.progress ?? 0)),
    User: { id: String(i + 1), title: s.user },
    Player: { title: s.player, product: "Plex for iOS", state: s.state ?? "playing", local: true },
    Session: { id: `session-${i + 1}`, bandwidth: 21000, location: "lan" },
    ...(s.transcode ? { TranscodeSession: { videoDecision: "transcode", audioDecision: "copy" } } : {}),
  };
}

/** Starts the simulator on 127.0.0.1 (a free port unless given). */
export async function startPlexSim(options: PlexSimOptions): Promise<PlexSim> {
  const sim: PlexSim = {
    url: "",
    sections: options.sections ?? defaultSections(),
    sessions: options.sessions ?? [],
    refreshes: [],
    requests: [],
    fault: "none",
    close: async () => {},
  };

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://plex");
    sim.requests.push(url.pathname);
    if (sim.fault === "slow") return; // never answers; the client's timeout must end it
    if (req.method !== "GET") return json(res, { error: "method" }, 405);
    if (!(req.headers.accept ?? "").includes("application/json")) {
      // Plex answers XML by default; the client must ask for JSON.
      res.writeHead(200, { "content-type": "text/xml" });
      return res.end('<?xml version="1.0" encoding="UTF-8"?>\n<MediaContainer size="0"/>');
    }
    if (url.pathname === "/identity") {
      return json(res, {
        MediaContainer: {
          size: 0,
          claimed: true,
          machineIdentifier: "sim-machine-1",
          version: "1.41.3.9314-a0bfb8370",
        },
      });
    }
    const token = req.headers["x-plex-token"] ?? url.searchParams.get("X-Plex-Token");
    if (token !== options.token) {
      res.writeHead(401, { "content-type": "text/html" });
      return res.end(
        "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>",
      );
    }
    if (url.pathname === "/library/sections") {
      return json(res, {
        MediaContainer: {
          size: sim.sections.length,
          allowSync: false,
          title1: "Plex Library",
          Directory: sim.sections.map((s) => ({
            allowSync: true,
            key: sim.fault === "malformed" ? Number(s.key) : s.key,
            type: s.type,
            title: s.title,
            agent: "tv.plex.agents.movie",
            scanner: "Plex Movie",
            language: "en-US",
            refreshing: false,
            scannedAt: s.scannedAt ?? 1_764_000_000,
            Location: s.locations.map((path, i) => ({ id: Number(s.key) * 10 + i, path })),
          })),
        },
      });
    }
    const section = url.pathname.match(/^\/library\/sections\/([^/]+)\/(all|refresh)$/);
    if (section) {
      const found = sim.sections.find((s) => s.key === decodeURIComponent(section[1]!));
      if (!found) return json(res, { error: "no such section" }, 404);
      if (section[2] === "refresh") {
        sim.refreshes.push({ key: found.key, path: url.searchParams.get("path") });
        res.writeHead(200);
        return res.end();
      }
      const header = (name: string) =>
        Number(req.headers[name.toLowerCase()] ?? url.searchParams.get(name) ?? Number.NaN);
      const start = Number.isFinite(header("X-Plex-Container-Start")) ? header("X-Plex-Container-Start") : 0;
      const size = Number.isFinite(header("X-Plex-Container-Size"))
        ? header("X-Plex-Container-Size")
        : found.items.length;
      const page = found.items.slice(start, start + size);
      return json(res, {
        MediaContainer: {
          size: page.length,
          totalSize: found.items.length,
          offset: start,
          librarySectionID: Number(found.key),
          librarySectionTitle: found.title,
          ...(page.length
            ? { Metadata: page.map((item) => ({ ...item, librarySectionTitle: found.title })) }
            : {}),
        },
      });
    }
    if (url.pathname === "/status/sessions") {
      return json(res, {
        MediaContainer: {
          size: sim.sessions.length,
          ...(sim.sessions.length ? { Metadata: sim.sessions.map(sessionMetadata) } : {}),
        },
      });
    }
    if (url.pathname === "/search") {
      const query = (url.searchParams.get("query") ?? "").toLowerCase();
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const hits = sim.sections
        .flatMap((s) =>
          s.items.map((item, i) => ({
            ratingKey: `${s.key}${i}`,
            ...item,
            librarySectionID: Number(s.key),
            librarySectionTitle: s.title,
          })),
        )
        .filter((item) => query && item.title.toLowerCase().includes(query))
        .slice(0, limit);
      return json(res, { MediaContainer: { size: hits.length, ...(hits.length ? { Metadata: hits } : {}) } });
    }
    return json(res, { error: "not found" }, 404);
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  sim.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sim;
}
