/**
 * A Google simulator for tests: the OAuth 2.0 endpoints of an installed app and the Calendar v3,
 * Gmail v1 and Drive v3 paths Jarvis uses, in Google's JSON wire format. The real client library
 * (`@googleapis/*` with `google-auth-library`) is pointed at it with `rootUrl` and a token URL.
 *
 * Follows Google's documentation:
 * - OAuth 2.0 for iOS & desktop apps (loopback redirect, PKCE S256, state, the code exchange and
 *   refresh, `invalid_grant` for a revoked or expired refresh token):
 *   https://developers.google.com/identity/protocols/oauth2/native-app
 *   and the error format https://developers.google.com/identity/protocols/oauth2/web-server#handlingresponse
 * - Calendar `GET/POST calendars/{calendarId}/events` (timeMin, timeMax, q, singleEvents, orderBy,
 *   maxResults ≤ 2500 default 250, pageToken → nextPageToken):
 *   https://developers.google.com/workspace/calendar/api/v3/reference/events/list and
 *   https://developers.google.com/workspace/calendar/api/v3/reference/events/insert
 * - Gmail `users.messages.list` (q, maxResults default 100 max 500, pageToken; ids only),
 *   `users.messages.get` (format metadata with metadataHeaders, or full), `users.messages.send`
 *   (`raw`, base64url RFC 2822), `users.getProfile`:
 *   https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list,
 *   .../users.messages/get, .../users.messages/send, .../v1/users/getProfile
 * - Drive `files.list` (q with `name contains`, `'<id>' in parents`, `mimeType =`, `trashed =`;
 *   pageSize default 100, pageToken, fields) and the multipart upload `POST /upload/drive/v3/files
 *   ?uploadType=multipart` (multipart/related: JSON metadata, then the media):
 *   https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list,
 *   https://developers.google.com/workspace/drive/api/guides/search-files and
 *   https://developers.google.com/workspace/drive/api/guides/manage-uploads#multipart
 * - API errors as `{error: {code, message, status}}`: https://cloud.google.com/apis/design/errors
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SimEvent {
  id?: string;
  summary: string;
  /** ISO date-time, or YYYY-MM-DD for an all-day event. */
  start: string;
  end: string;
  location?: string;
}

export interface SimMail {
  id?: string;
  from: string;
  to?: string;
  subject: string;
  /** ISO time. */
  date: string;
  body: string;
}

export interface SimFile {
  id?: string;
  name: string;
  mimeType?: string;
  parents?: string[];
  content?: string;
  modifiedTime?: string;
}

export interface GoogleSimOptions {
  clientId: string;
  clientSecret: string;
  email?: string;
  events?: SimEvent[];
  mails?: SimMail[];
  files?: SimFile[];
}

export interface SentMail {
  id: string;
  raw: string;
  text: string;
}

export interface GoogleSim {
  url: string;
  /** The authorization endpoint (GOOGLE_AUTH_URL). */
  authUrl: string;
  /** The token endpoint (GOOGLE_TOKEN_URL). */
  tokenUrl: string;
  events: Array<SimEvent & { id: string }>;
  files: Array<SimFile & { id: string }>;
  sent: SentMail[];
  /** Every request: method, path (no query) and the parsed query. */
  requests: Array<{ method: string; path: string; query: URLSearchParams }>;
  /** Refresh tokens issued so far (the tests check none leaks). */
  refreshTokens: Set<string>;
  /** Issues a refresh token directly, as if `google auth` had run. */
  issueRefreshToken(): string;
  /** Revokes every refresh token (a user removing the app's access in their Google account). */
  revokeAll(): void;
  /** The consent screen's answer: Allow (default) or Cancel (`error=access_denied`). */
  consent: "allow" | "deny";
  /** Answers the next request whose path starts with `prefix` with this status and body, once. */
  respondOnce(prefix: string, status: number, body: unknown): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const apiError = (code: number, message: string, status: string) => ({
  error: { code, message, errors: [{ message, domain: "global", reason: status.toLowerCase() }], status },
});

/** Parses the subset of Drive's query language Jarvis sends: clauses joined by `and`. */
function driveMatch(q: string, file: SimFile & { id: string }): boolean {
  const clauses = q.split(/\s+and\s+/i).filter(Boolean);
  const unquote = (s: string) => s.replace(/^'|'$/g, "").replace(/\\'/g, "'").replace(/\\\\/g, "\\");
  return clauses.every((clause) => {
    let m = /^name contains ('(?:[^'\\]|\\.)*')$/.exec(clause.trim());
    if (m) return file.name.toLowerCase().includes(unquote(m[1]!).toLowerCase());
    m = /^name = ('(?:[^'\\]|\\.)*')$/.exec(clause.trim());
    if (m) return file.name === unquote(m[1]!);
    m = /^('(?:[^'\\]|\\.)*') in parents$/.exec(clause.trim());
    if (m) return (file.parents ?? ["root"]).includes(unquote(m[1]!));
    m = /^mimeType (=|!=) ('(?:[^'\\]|\\.)*')$/.exec(clause.trim());
    if (m) return (file.mimeType === unquote(m[2]!)) === (m[1] === "=");
    if (/^trashed = false$/.test(clause.trim())) return true;
    throw new Error(`Invalid Value: ${clause}`);
  });
}

/** Gmail's search: from:, to:, subject:, newer_than:Nd, and free words (any field). */
function gmailMatch(q: string, mail: SimMail, now: number): boolean {
  const terms = q.match(/(\w+:"[^"]*"|\w+:\S+|"[^"]*"|\S+)/g) ?? [];
  return terms.every((term) => {
    const [key, ...rest] = term.split(":");
    const value = rest.join(":").replace(/"/g, "").toLowerCase();
    if (rest.length && key === "from") return mail.from.toLowerCase().includes(value);
    if (rest.length && key === "to") return (mail.to ?? "").toLowerCase().includes(value);
    if (rest.length && key === "subject") return mail.subject.toLowerCase().includes(value);
    if (rest.length && (key === "newer_than" || key === "older_than")) {
      const m = /^(\d+)([dmy])$/.exec(value);
      if (!m) return true;
      const days = Number(m[1]) * ({ d: 1, m: 30, y: 365 } as Record<string, number>)[m[2]!]!;
      const newer = Date.parse(mail.date) >= now - days * 86_400_000;
      return key === "newer_than" ? newer : !newer;
    }
    if (rest.length && key === "is") return true;
    const word = term.replace(/"/g, "").toLowerCase();
    return `${mail.from} ${mail.subject} ${mail.body}`.toLowerCase().includes(word);
  });
}

function mailResource(mail: SimMail & { id: string }, format: string, headers: string[]) {
  const all = [
    { name: "From", value: mail.from },
    { name: "To", value: mail.to ?? "owner@example.org" },
    { name: "Subject", value: mail.subject },
    { name: "Date", value: new Date(mail.date).toUTCString() },
  ];
  const shown = format === "metadata" && headers.length ? all.filter((h) => headers.includes(h.name)) : all;
  const data = Buffer.from(mail.body, "utf8").toString("base64url");
  return {
    id: mail.id,
    threadId: `t-${mail.id}`,
    labelIds: ["INBOX"],
    snippet: mail.body.slice(0, 100),
    internalDate: String(Date.parse(mail.date)),
    sizeEstimate: mail.body.length + 200,
    payload:
      format === "full"
        ? {
            mimeType: "multipart/alternative",
            headers: shown,
            body: { size: 0 },
            parts: [
              { mimeType: "text/plain", headers: [], body: { size: mail.body.length, data } },
              {
                mimeType: "text/html",
                headers: [],
                body: { size: 0, data: Buffer.from(`<p>${mail.body}</p>`).toString("base64url") },
              },
            ],
          }
        : { mimeType: "multipart/alternative", headers: shown },
  };
}

/** Starts the simulator on a free loopback port. */
export async function startGoogleSim(options: GoogleSimOptions): Promise<GoogleSim> {
  let next = 1;
  const id = (prefix: string) => `${prefix}${(next++).toString(36).padStart(6, "0")}`;
  const events = (options.events ?? []).map((e) => ({ ...e, id: e.id ?? id("evt") }));
  const mails = (options.mails ?? []).map((m) => ({ ...m, id: m.id ?? id("msg") }));
  const files = (options.files ?? []).map((f) => ({
    ...f,
    id: f.id ?? id("file"),
    modifiedTime: f.modifiedTime ?? new Date().toISOString(),
  }));
  const email = options.email ?? "owner@example.org";
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const sent: SentMail[] = [];
  const requests: GoogleSim["requests"] = [];
  const overrides: Array<{ prefix: string; status: number; body: unknown }> = [];

  const issueRefreshToken = () => {
    const token = `1//sim-refresh-${randomBytes(12).toString("hex")}`;
    refreshTokens.add(token);
    return token;
  };
  const issueAccessToken = () => {
    const token = `ya29.sim-${randomBytes(12).toString("hex")}`;
    accessTokens.add(token);
    return token;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    const path = url.pathname;
    requests.push({ method: req.method ?? "GET", path, query: url.searchParams });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      res.end(JSON.stringify(body));
    };
    const override = overrides.findIndex((o) => path.startsWith(o.prefix));
    if (override >= 0) {
      const [o] = overrides.splice(override, 1);
      await readBody(req);
      return send(o!.status, o!.body);
    }

    // OAuth: the consent screen, answered at once as if the user had clicked Allow.
    if (req.method === "GET" && path === "/o/oauth2/v2/auth") {
      const q = url.searchParams;
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("client_id") !== options.clientId) return send(401, { error: "invalid_client" });
      if (!/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost):\d+\/?/.test(redirectUri)) {
        return send(400, { error: "redirect_uri_mismatch" });
      }
      if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge")) {
        return send(400, { error: "invalid_request", error_description: "PKCE S256 required by this sim" });
      }
      if (sim.consent === "deny") {
        const back = new URL(redirectUri);
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("state", q.get("state") ?? "");
        res.writeHead(302, { location: back.href });
        return void res.end();
      }
      const code = `4/sim-code-${randomBytes(8).toString("hex")}`;
      codes.set(code, {
        challenge: q.get("code_challenge")!,
        redirectUri,
        scope: q.get("scope") ?? "",
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state") ?? "");
      back.searchParams.set("scope", q.get("scope") ?? "");
      res.writeHead(302, { location: back.href });
      return void res.end();
    }

    if (req.method === "POST" && path === "/token") {
      const form = new URLSearchParams((await readBody(req)).toString("utf8"));
      if (form.get("client_id") !== options.clientId || form.get("client_secret") !== options.clientSecret) {
        return send(401, { error: "invalid_client", error_description: "The OAuth client was not found." });
      }
      if (form.get("grant_type") === "authorization_code") {
        const grant = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        if (!grant || grant.redirectUri !== form.get("redirect_uri") || grant.challenge !== challenge) {
          return send(400, { error: "invalid_grant", error_description: "Bad Request" });
        }
        return send(200, {
          access_token: issueAccessToken(),
          expires_in: 3599,
          refresh_token: issueRefreshToken(),
          scope: grant.scope,
          token_type: "Bearer",
        });
      }
      if (form.get("grant_type") === "refresh_token") {
        if (!refreshTokens.has(form.get("refresh_token") ?? "")) {
          return send(400, {
            error: "invalid_grant",
            error_description: "Token has been expired or revoked.",
          });
        }
        return send(200, { access_token: issueAccessToken(), expires_in: 3599, token_type: "Bearer" });
      }
      return send(400, { error: "unsupported_grant_type" });
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer || !accessTokens.has(bearer)) {
      await readBody(req);
      return send(401, apiError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"), {
        "www-authenticate": 'Bearer realm="https://accounts.google.com/"',
      });
    }

    const q = url.searchParams;
    const page = <T>(items: T[], size: number) => {
      const offset = Number(q.get("pageToken") ?? 0);
      const slice = items.slice(offset, offset + size);
      const more = offset + size < items.length;
      return { slice, nextPageToken: more ? String(offset + size) : undefined };
    };

    const calendarPath = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (calendarPath) {
      if (req.method === "GET") {
        const min = q.get("timeMin") ? Date.parse(q.get("timeMin")!) : -Infinity;
        const max = q.get("timeMax") ? Date.parse(q.get("timeMax")!) : Infinity;
        const words = (q.get("q") ?? "").toLowerCase();
        const matching = events
          .filter((e) => Date.parse(e.end) > min && Date.parse(e.start) < max)
          .filter((e) => !words || `${e.summary} ${e.location ?? ""}`.toLowerCase().includes(words))
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        const { slice, nextPageToken } = page(matching, Number(q.get("maxResults") ?? 250));
        const time = (t: string) => (/^\d{4}-\d{2}-\d{2}$/.test(t) ? { date: t } : { dateTime: t });
        return send(200, {
          kind: "calendar#events",
          summary: decodeURIComponent(calendarPath[1]!),
          timeZone: "UTC",
          items: slice.map((e) => ({
            kind: "calendar#event",
            id: e.id,
            status: "confirmed",
            htmlLink: `https://www.google.com/calendar/event?eid=${e.id}`,
            summary: e.summary,
            location: e.location,
            start: time(e.start),
            end: time(e.end),
          })),
          ...(nextPageToken ? { nextPageToken } : {}),
        });
      }
      if (req.method === "POST") {
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
        const start = body.start?.dateTime ?? body.start?.date;
        const end = body.end?.dateTime ?? body.end?.date;
        if (!start || !end) return send(400, apiError(400, "Missing end time.", "INVALID_ARGUMENT"));
        if (Date.parse(end) <= Date.parse(start)) {
          return send(400, apiError(400, "The specified time range is empty.", "INVALID_ARGUMENT"));
        }
        const event = { id: id("evt"), summary: body.summary ?? "", start, end, location: body.location };
        events.push(event);
        return send(200, {
          kind: "calendar#event",
          id: event.id,
          status: "confirmed",
          htmlLink: `https://www.google.com/calendar/event?eid=${event.id}`,
          summary: event.summary,
          start: body.start,
          end: body.end,
        });
      }
    }

    if (req.method === "GET" && path === "/gmail/v1/users/me/profile") {
      return send(200, { emailAddress: email, messagesTotal: mails.length, threadsTotal: mails.length });
    }
    if (req.method === "GET" && path === "/gmail/v1/users/me/messages") {
      const now = Date.now();
      const matching = mails
        .filter((m) => gmailMatch(q.get("q") ?? "", m, now))
        .sort((a, b) => Date.parse(b.date) - Date.parse(a.date));
      const { slice, nextPageToken } = page(matching, Math.min(Number(q.get("maxResults") ?? 100), 500));
      return send(200, {
        ...(slice.length ? { messages: slice.map((m) => ({ id: m.id, threadId: `t-${m.id}` })) } : {}),
        ...(nextPageToken ? { nextPageToken } : {}),
        resultSizeEstimate: matching.length,
      });
    }
    const messagePath = /^\/gmail\/v1\/users\/me\/messages\/([^/]+)$/.exec(path);
    if (req.method === "GET" && messagePath && messagePath[1] !== "send") {
      const mail = mails.find((m) => m.id === messagePath[1]);
      if (!mail) return send(404, apiError(404, "Requested entity was not found.", "NOT_FOUND"));
      return send(200, mailResource(mail, q.get("format") ?? "full", q.getAll("metadataHeaders")));
    }
    if (req.method === "POST" && path === "/gmail/v1/users/me/messages/send") {
      const body = JSON.parse((await readBody(req)).toString("utf8") || "{}");
      if (typeof body.raw !== "string") {
        return send(400, apiError(400, "'raw' RFC822 payload message string required.", "INVALID_ARGUMENT"));
      }
      const text = Buffer.from(body.raw, "base64url").toString("utf8");
      if (!/^To: .+$/im.test(text))
        return send(400, apiError(400, "Recipient address required", "INVALID_ARGUMENT"));
      const sentId = id("sent");
      sent.push({ id: sentId, raw: body.raw, text });
      return send(200, { id: sentId, threadId: `t-${sentId}`, labelIds: ["SENT"] });
    }

    if (req.method === "GET" && path === "/drive/v3/files") {
      let matching: typeof files;
      try {
        matching = files.filter((f) => driveMatch(q.get("q") ?? "", f));
      } catch (error) {
        return send(400, apiError(400, (error as Error).message, "INVALID_ARGUMENT"));
      }
      matching.sort((a, b) => Date.parse(b.modifiedTime) - Date.parse(a.modifiedTime));
      const { slice, nextPageToken } = page(matching, Math.min(Number(q.get("pageSize") ?? 100), 1000));
      return send(200, {
        kind: "drive#fileList",
        incompleteSearch: false,
        files: slice.map((f) => ({
          kind: "drive#file",
          id: f.id,
          name: f.name,
          mimeType: f.mimeType ?? "application/octet-stream",
          parents: f.parents ?? ["root"],
          modifiedTime: f.modifiedTime,
          ...(f.mimeType === "application/vnd.google-apps.folder"
            ? {}
            : { size: String(Buffer.byteLength(f.content ?? "")) }),
          webViewLink: `https://drive.google.com/file/d/${f.id}/view`,
        })),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
    }
    if (req.method === "POST" && path === "/upload/drive/v3/files") {
      if (q.get("uploadType") !== "multipart") {
        return send(400, apiError(400, "Unsupported upload type in this simulator", "INVALID_ARGUMENT"));
      }
      const boundary = /boundary=("?)([^";]+)\1/.exec(req.headers["content-type"] ?? "")?.[2];
      const body = (await readBody(req)).toString("latin1");
      if (!boundary) return send(400, apiError(400, "Missing multipart boundary", "INVALID_ARGUMENT"));
      const parts = body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((part) => {
          const split = part.indexOf("\r\n\r\n");
          return { head: part.slice(0, split), body: part.slice(split + 4).replace(/\r\n$/, "") };
        });
      if (parts.length !== 2 || !/application\/json/i.test(parts[0]!.head)) {
        return send(400, apiError(400, "Expected JSON metadata and one media part", "INVALID_ARGUMENT"));
      }
      const meta = JSON.parse(parts[0]!.body);
      const mimeType = /content-type:\s*([^\r\n]+)/i.exec(parts[1]!.head)?.[1]?.trim();
      const file = {
        id: id("file"),
        name: meta.name ?? "Untitled",
        mimeType,
        parents: meta.parents ?? ["root"],
        content: Buffer.from(parts[1]!.body, "latin1").toString("utf8"),
        modifiedTime: new Date().toISOString(),
      };
      files.push(file);
      return send(200, {
        kind: "drive#file",
        id: file.id,
        name: file.name,
        mimeType: file.mimeType,
        parents: file.parents,
        size: String(Buffer.byteLength(file.content)),
        modifiedTime: file.modifiedTime,
        webViewLink: `https://drive.google.com/file/d/${file.id}/view`,
      });
    }
    send(404, apiError(404, `Not Found: ${req.method} ${path}`, "NOT_FOUND"));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(apiError(500, String(error), "INTERNAL")));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sim: GoogleSim = {
    consent: "allow",
    url,
    authUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    events,
    files,
    sent,
    requests,
    refreshTokens,
    issueRefreshToken,
    revokeAll() {
      refreshTokens.clear();
      accessTokens.clear();
    },
    respondOnce(prefix, status, body) {
      overrides.push({ prefix, status, body });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return sim;
}
