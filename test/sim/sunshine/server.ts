/**
 * A Sunshine (LizardByte) game-streaming host simulator: the Web UI's JSON API over HTTPS with a
 * self-signed certificate, and the GameStream `/serverinfo` XML over plain HTTP.
 *
 * Follows Sunshine's documentation and source:
 * - API reference, docs/api.md (https://docs.lizardbyte.dev/projects/sunshine/latest/md_docs_2api.html):
 *   Basic authentication with the admin user on every call; `GET /api/apps` (`{env, apps: [{name,
 *   "image-path", …}]}`), `POST /api/pin` (`{pin, name}` → `{status}`), `GET /api/clients/list`
 *   (`{named_certs: [{name, uuid}], status}`), `POST /api/clients/unpair` (`{uuid}` → `{status}`),
 *   `POST /api/apps/close` (→ `{status}`).
 * - src/confighttp.cpp: POST bodies must be `Content-Type: application/json` (400 otherwise), and a
 *   browser request from another origin is refused (CSRF): an `Origin` header must be the server's own.
 * - src/nvhttp.cpp, `serverinfo`: `<root status_code="200">` with `hostname`, `appversion`,
 *   `GfeVersion`, `uniqueid`, `HttpsPort`, `ExternalPort`, `mac`, `LocalIP`, `PairStatus` (always 0
 *   over plain HTTP), `currentgame` (the running app's id, 0 when none) and `state`
 *   (`SUNSHINE_SERVER_BUSY` while an app runs, `SUNSHINE_SERVER_FREE` otherwise).
 */
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";

export interface SunshineSimOptions {
  user: string;
  password: string;
  /** PEM key and self-signed certificate the HTTPS API serves. */
  key: string;
  cert: string;
  hostname?: string;
  apps?: string[];
  clients?: Array<{ name: string; uuid: string }>;
}

export interface SunshineSim {
  /** https://127.0.0.1:PORT (the Web UI / API). */
  url: string;
  /** http://127.0.0.1:PORT (GameStream, /serverinfo). */
  gamestreamUrl: string;
  apps: string[];
  clients: Array<{ name: string; uuid: string }>;
  /** The id of the running app, 0 when none. */
  currentGame: number;
  /** The PIN a Moonlight client is waiting to have entered, if a pairing is in progress. */
  pendingPin: string | null;
  /** Every API call received: method, path and whether it was authorized. */
  calls: Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

export async function startSunshineSim(options: SunshineSimOptions): Promise<SunshineSim> {
  const sim: SunshineSim = {
    url: "",
    gamestreamUrl: "",
    apps: options.apps ?? ["Desktop", "Steam Big Picture", "Cyberpunk 2077"],
    clients: options.clients ?? [
      { name: "living-room-shield", uuid: "3F2A9C81-D4E7-4B1C-9A0E-5C6D7E8F9A0B" },
    ],
    currentGame: 0,
    pendingPin: null,
    calls: [],
    close: async () => {},
  };
  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`;

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : {};
  }

  async function api(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "https://sunshine").pathname;
    const send = (status: number, body: unknown) => {
      sim.calls.push({ method: req.method ?? "GET", path, status });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== expected) {
      sim.calls.push({ method: req.method ?? "GET", path, status: 401 });
      res.writeHead(401, { "www-authenticate": 'Basic realm="Sunshine Gamestream Host", charset="UTF-8"' });
      return res.end();
    }
    if (req.headers.origin && req.headers.origin !== sim.url)
      return send(403, { status: false, error: "Forbidden" });
    if (req.method === "POST" && !(req.headers["content-type"] ?? "").startsWith("application/json"))
      return send(400, { status: false, error: "Content type mismatch" });
    const body = (req.method === "POST" ? await readBody(req).catch(() => null) : {}) as Record<
      string,
      unknown
    > | null;
    if (body === null) return send(400, { status: false, error: "Bad Request" });
    if (req.method === "GET" && path === "/api/apps")
      return send(200, { env: {}, apps: sim.apps.map((name) => ({ name, "image-path": "", cmd: "" })) });
    if (req.method === "GET" && path === "/api/clients/list")
      return send(200, { named_certs: sim.clients, status: true });
    if (req.method === "POST" && path === "/api/pin") {
      const ok = typeof body.pin === "string" && body.pin === sim.pendingPin && typeof body.name === "string";
      if (ok) {
        sim.clients.push({ name: String(body.name), uuid: crypto.randomUUID().toUpperCase() });
        sim.pendingPin = null;
      }
      return send(200, { status: ok });
    }
    if (req.method === "POST" && path === "/api/clients/unpair") {
      const before = sim.clients.length;
      sim.clients = sim.clients.filter((c) => c.uuid !== body.uuid);
      return send(200, { status: sim.clients.length < before });
    }
    if (req.method === "POST" && path === "/api/apps/close") {
      sim.currentGame = 0;
      return send(200, { status: true });
    }
    return send(404, { status: false, error: "Not Found" });
  }

  function gamestream(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://sunshine").pathname;
    if (path !== "/serverinfo") {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/xml" });
    res.end(
      `<?xml version="1.0" encoding="utf-8"?>\n<root status_code="200"><hostname>${options.hostname ?? "gaming-pc"}</hostname>` +
        "<appversion>7.1.431.-1</appversion><GfeVersion>3.23.0.74</GfeVersion>" +
        "<uniqueid>C3E1A7B2-5D4F-4E6A-8B9C-0D1E2F3A4B5C</uniqueid><HttpsPort>47984</HttpsPort>" +
        "<ExternalPort>47989</ExternalPort><mac>00:00:00:00:00:00</mac><LocalIP>127.0.0.1</LocalIP>" +
        "<ServerCodecModeSupport>259</ServerCodecModeSupport><PairStatus>0</PairStatus>" +
        `<currentgame>${sim.currentGame}</currentgame>` +
        `<state>${sim.currentGame ? "SUNSHINE_SERVER_BUSY" : "SUNSHINE_SERVER_FREE"}</state></root>`,
    );
  }

  const https = createHttps({ key: options.key, cert: options.cert }, (req, res) => {
    api(req, res).catch(() => res.destroy());
  });
  const http = createHttp(gamestream);
  await Promise.all([
    new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve)),
    new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve)),
  ]);
  sim.url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  sim.gamestreamUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  sim.close = async () => {
    https.closeAllConnections();
    http.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => https.close(resolve)),
      new Promise((resolve) => http.close(resolve)),
    ]);
  };
  return sim;
}
