import type { Readable } from "node:stream";
import { calendar } from "@googleapis/calendar";
import { drive } from "@googleapis/drive";
import { gmail } from "@googleapis/gmail";
import { OAuth2Client } from "google-auth-library";
import { JarvisError } from "../../errors.ts";
import type { Secret } from "../../secret.ts";
import type { SecretStore } from "../../secrets/store.ts";
import { authCommand, googleError, parseShape } from "./google-error.ts";
import {
  type CalendarEvent,
  CalendarEventList,
  CalendarEvent as CalendarEventSchema,
  type DriveFile,
  DriveFileList,
  DriveFile as DriveFileSchema,
  type GmailMessage,
  GmailMessageList,
  GmailMessage as GmailMessageSchema,
  GmailProfile,
  GmailSent,
} from "./schemas.ts";

/** Secret store names: the refresh token `google auth` stores, and the optional client secret. */
export const refreshTokenName = "google/refresh-token";
export const clientSecretName = "google/client-secret";

export interface GoogleClientOptions {
  clientId: string;
  /** From config; without it the secret store's google/client-secret is used, if any. */
  clientSecret?: Secret;
  secrets: SecretStore;
  calendarId?: string;
  /** API root (default https://www.googleapis.com/), for tests against a simulator. */
  rootUrl?: string;
  /** OAuth token endpoint (default https://oauth2.googleapis.com/token). */
  tokenUrl?: string;
  /** Injectable for tests and proxies: every request (token refreshes too) goes through it. */
  fetch?: typeof fetch;
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
  /** Most items one listing returns, whatever a caller asks (default 250). */
  maxItems?: number;
  /** Directories drive_upload may read from (GOOGLE_UPLOAD_ROOTS). */
  uploadRoots?: readonly string[];
}

export interface ListResult<T> {
  items: T[];
  /** More matched than were returned (the listing stopped at its bound). */
  more: boolean;
}

/** Google Calendar v3, Gmail v1 and Drive v3 through Google's own client library. */
export interface GoogleClient {
  calendarId: string;
  uploadRoots: readonly string[];
  /** Health check: the stored token refreshes and Calendar answers. */
  ping(signal?: AbortSignal): Promise<void>;
  listEvents(
    query: { timeMin: string; timeMax: string; q?: string; max: number },
    signal?: AbortSignal,
  ): Promise<ListResult<CalendarEvent>>;
  insertEvent(
    event: {
      summary: string;
      start: { dateTime?: string; date?: string };
      end: { dateTime?: string; date?: string };
      description?: string;
      location?: string;
    },
    signal?: AbortSignal,
  ): Promise<CalendarEvent>;
  /** Messages matching a Gmail query, with headers and snippet (format metadata), newest first. */
  searchMessages(q: string, max: number, signal?: AbortSignal): Promise<ListResult<GmailMessage>>;
  getMessage(id: string, signal?: AbortSignal): Promise<GmailMessage>;
  /** Sends an RFC 2822 message (already built, not yet encoded). */
  sendMessage(rfc2822: string, signal?: AbortSignal): Promise<{ id: string }>;
  /** The authorised account's address (what "me" means). */
  profileEmail(signal?: AbortSignal): Promise<string>;
  listFiles(q: string, max: number, signal?: AbortSignal): Promise<ListResult<DriveFile>>;
  uploadFile(
    file: { name: string; parents?: string[]; mimeType: string; body: Readable },
    signal?: AbortSignal,
  ): Promise<DriveFile>;
}

const driveFields = "id,name,mimeType,size,modifiedTime,parents,webViewLink";

/** Builds a Google client. Nothing is sent, and no token read, until a method is called. */
export function createGoogleClient(options: GoogleClientOptions): GoogleClient {
  const calendarId = options.calendarId ?? "primary";
  const maxItems = options.maxItems ?? 250;
  const transport = {
    timeout: options.timeoutMs ?? 20_000,
    // Errors surface at once; the person or the agent decides whether to try again.
    retry: false,
    ...(options.fetch ? { fetchImplementation: options.fetch } : {}),
  };
  let cached: { token: string; apis: ReturnType<typeof buildApis> } | undefined;

  function buildApis(refreshToken: string, clientSecret: string | undefined) {
    const auth = new OAuth2Client({
      clientId: options.clientId,
      clientSecret,
      endpoints: options.tokenUrl ? { oauth2TokenUrl: options.tokenUrl } : undefined,
      transporterOptions: transport,
      // A 401 before the access token's expiry (access revoked) refreshes once, so a revoked
      // refresh token shows up as invalid_grant rather than as a bare 401.
      forceRefreshOnFailure: true,
    });
    auth.setCredentials({ refresh_token: refreshToken });
    const common = { auth, ...transport, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) };
    return {
      calendar: calendar({ version: "v3", ...common }),
      gmail: gmail({ version: "v1", ...common }),
      drive: drive({ version: "v3", ...common }),
    };
  }

  /** The API objects for the stored refresh token (rebuilt when `google auth` stored a new one). */
  async function apis() {
    const token = await options.secrets.get(refreshTokenName);
    if (!token) {
      throw new JarvisError(
        "unauthorized",
        `Google is not authorised yet: run \`${authCommand}\` and sign in (see README, "Google")`,
      );
    }
    if (cached?.token !== token.reveal()) {
      const secret = options.clientSecret ?? (await options.secrets.get(clientSecretName));
      cached = { token: token.reveal(), apis: buildApis(token.reveal(), secret?.reveal()) };
    }
    return cached.apis;
  }

  /**
   * Per-call options. The rootUrl is repeated here because the generated upload methods build
   * their media URL from the per-call rootUrl only (the global one is not applied to it).
   */
  const perCall = (signal?: AbortSignal) => ({
    signal,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });

  /** Runs one API call, mapping every failure to a JarvisError that says what to do. */
  async function call<T>(what: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw googleError(error, what, signal);
    }
  }

  /** Pages through a listing until `max` items or the last page. */
  async function paginate<T>(
    max: number,
    page: (size: number, pageToken?: string) => Promise<{ items: T[]; nextPageToken?: string }>,
  ): Promise<ListResult<T>> {
    const bound = Math.min(max, maxItems);
    const items: T[] = [];
    let pageToken: string | undefined;
    do {
      const result = await page(bound - items.length, pageToken);
      items.push(...result.items);
      pageToken = result.nextPageToken;
    } while (pageToken && items.length < bound);
    return { items: items.slice(0, bound), more: Boolean(pageToken) || items.length > bound };
  }

  const getMessage = async (id: string, format: "metadata" | "full", signal?: AbortSignal) => {
    const { gmail } = await apis();
    const res = await call("read a Gmail message", signal, () =>
      gmail.users.messages.get(
        {
          userId: "me",
          id,
          format,
          ...(format === "metadata" ? { metadataHeaders: ["From", "To", "Subject", "Date"] } : {}),
        },
        perCall(signal),
      ),
    );
    return parseShape(GmailMessageSchema, res.data, "gmail/v1/users/me/messages/{id}");
  };

  return {
    calendarId,
    uploadRoots: options.uploadRoots ?? [],
    async ping(signal) {
      const { calendar } = await apis();
      await call("reach Calendar", signal, () =>
        calendar.events.list(
          { calendarId, maxResults: 1, timeMin: new Date().toISOString() },
          perCall(signal),
        ),
      );
    },
    async listEvents(query, signal) {
      const { calendar } = await apis();
      return paginate(query.max, async (size, pageToken) => {
        const res = await call("list calendar events", signal, () =>
          calendar.events.list(
            {
              calendarId,
              timeMin: query.timeMin,
              timeMax: query.timeMax,
              q: query.q,
              singleEvents: true,
              orderBy: "startTime",
              maxResults: Math.min(size, 250),
              pageToken,
            },
            perCall(signal),
          ),
        );
        const page = parseShape(CalendarEventList, res.data, "calendar/v3/calendars/{id}/events");
        return { items: page.items, nextPageToken: page.nextPageToken };
      });
    },
    async insertEvent(event, signal) {
      const { calendar } = await apis();
      const res = await call("add the calendar event", signal, () =>
        calendar.events.insert({ calendarId, requestBody: event }, perCall(signal)),
      );
      return parseShape(CalendarEventSchema, res.data, "calendar/v3/calendars/{id}/events (insert)");
    },
    async searchMessages(q, max, signal) {
      const { gmail } = await apis();
      const ids = await paginate(max, async (size, pageToken) => {
        const res = await call("search Gmail", signal, () =>
          gmail.users.messages.list(
            { userId: "me", q, maxResults: Math.min(size, 100), pageToken },
            perCall(signal),
          ),
        );
        const page = parseShape(GmailMessageList, res.data, "gmail/v1/users/me/messages");
        return { items: page.messages, nextPageToken: page.nextPageToken };
      });
      const items = await Promise.all(ids.items.map((m) => getMessage(m.id, "metadata", signal)));
      return { items, more: ids.more };
    },
    getMessage: (id, signal) => getMessage(id, "full", signal),
    async sendMessage(rfc2822, signal) {
      const { gmail } = await apis();
      const raw = Buffer.from(rfc2822, "utf8").toString("base64url");
      const res = await call("send the mail", signal, () =>
        gmail.users.messages.send({ userId: "me", requestBody: { raw } }, perCall(signal)),
      );
      return parseShape(GmailSent, res.data, "gmail/v1/users/me/messages/send");
    },
    async profileEmail(signal) {
      const { gmail } = await apis();
      const res = await call("read the Gmail profile", signal, () =>
        gmail.users.getProfile({ userId: "me" }, perCall(signal)),
      );
      return parseShape(GmailProfile, res.data, "gmail/v1/users/me/profile").emailAddress;
    },
    async listFiles(q, max, signal) {
      const { drive } = await apis();
      return paginate(max, async (size, pageToken) => {
        const res = await call("list Drive files", signal, () =>
          drive.files.list(
            {
              q,
              pageSize: Math.min(size, 100),
              pageToken,
              orderBy: "modifiedTime desc",
              fields: `nextPageToken,files(${driveFields})`,
            },
            perCall(signal),
          ),
        );
        const page = parseShape(DriveFileList, res.data, "drive/v3/files");
        return { items: page.files, nextPageToken: page.nextPageToken };
      });
    },
    async uploadFile(file, signal) {
      const { drive } = await apis();
      const res = await call("upload the file to Drive", signal, () =>
        drive.files.create(
          {
            requestBody: { name: file.name, ...(file.parents ? { parents: file.parents } : {}) },
            media: { mimeType: file.mimeType, body: file.body },
            fields: driveFields,
          },
          perCall(signal),
        ),
      );
      return parseShape(DriveFileSchema, res.data, "upload/drive/v3/files");
    },
  };
}
