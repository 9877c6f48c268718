import type { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Secret } from "../../secret.ts";
import {
  PlexIdentity as Identity,
  type PlexIdentity,
  PlexSearch,
  type PlexSearchItem,
  type PlexSection,
  PlexSections,
  PlexSectionTotal,
  type PlexSession,
  PlexSessions,
} from "./schemas.ts";

export interface PlexClientOptions {
  /** The server, e.g. http://192.168.1.10:32400 (no token in it). */
  url: string;
  token: Secret;
  /** Injectable for tests and proxies. */
  fetch?: typeof fetch;
  /** Per-request timeout (default 10 s); the caller's signal aborts sooner. */
  timeoutMs?: number;
}

/** A Plex Media Server, spoken to over its HTTP API with JSON responses. */
export interface PlexClient {
  /** The base URL (safe to show: the token travels in a header). */
  url: string;
  identity(signal?: AbortSignal): Promise<PlexIdentity["MediaContainer"]>;
  /** Health check for /healthz: the identity endpoint answers and the token is accepted. */
  ping(signal?: AbortSignal): Promise<void>;
  sections(signal?: AbortSignal): Promise<PlexSection[]>;
  /** Items in a section (movies, shows, artists), without fetching them: a page of size 0. */
  sectionTotal(key: string, signal?: AbortSignal): Promise<number | undefined>;
  sessions(signal?: AbortSignal): Promise<PlexSession[]>;
  search(query: string, limit: number, signal?: AbortSignal): Promise<PlexSearchItem[]>;
  /** Starts a scan of a section, or only of `path` inside it (a path as Plex sees it). */
  refresh(key: string, path?: string, signal?: AbortSignal): Promise<void>;
}

/** Says where a response did not match the schema, naming the field, never the whole body. */
function shapeError(path: string, error: z.ZodError): JarvisError {
  const issue = error.issues[0]!;
  const field = issue.path.join(".") || "(top level)";
  return new JarvisError(
    "tool_failed",
    `Plex answered ${path} with an unexpected shape: ${field}: ${issue.message}`,
    { details: { endpoint: path, field } },
  );
}

/** A reused connection that the server had closed (keep-alive race), not a server that is down. */
function connectionDropped(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE";
}

/** Builds a Plex client. Nothing is sent until a method is called. */
export function createPlexClient(options: PlexClientOptions): PlexClient {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request(
    method: "GET" | "PUT" | "POST",
    path: string,
    signal: AbortSignal | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    const send = () =>
      doFetch(`${base}${path}`, {
        method,
        headers: {
          Accept: "application/json",
          "X-Plex-Token": options.token.reveal(),
          "X-Plex-Product": "Jarvis",
          "X-Plex-Client-Identifier": "jarvis",
          ...headers,
        },
        signal: combined,
      });
    try {
      // A kept-alive connection the server closed meanwhile fails at once: every call Jarvis makes
      // is safe to repeat, so it is tried once more on a fresh connection.
      response = await send().catch((error) => {
        if (combined.aborted || !connectionDropped(error)) throw error;
        return send();
      });
    } catch (error) {
      if (timeout.aborted)
        throw new JarvisError("timeout", `Plex at ${base} did not answer ${path} in ${timeoutMs} ms`);
      if (signal?.aborted) throw new JarvisError("aborted", `The Plex request ${path} was cancelled`);
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new JarvisError("unavailable", `Plex at ${base} is unreachable (${cause})`, { cause: error });
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new JarvisError(
        "unauthorized",
        `Plex at ${base} refused the token (HTTP ${response.status}): check PLEX_TOKEN`,
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new JarvisError("not_found", `Plex at ${base} has no ${path.split("?")[0]} (HTTP 404)`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JarvisError(
        "tool_failed",
        `Plex at ${base} answered ${path.split("?")[0]} with HTTP ${response.status}`,
      );
    }
    return response;
  }

  async function getJson<T>(
    path: string,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<T> {
    const response = await request("GET", path, signal, headers);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new JarvisError(
        "tool_failed",
        `Plex answered ${path.split("?")[0]} with something that is not JSON`,
        {
          cause: error,
        },
      );
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw shapeError(path.split("?")[0]!, parsed.error);
    return parsed.data;
  }

  return {
    url: base,
    identity: async (signal) => (await getJson("/identity", Identity, signal)).MediaContainer,
    async ping(signal) {
      // /identity answers without a token; /library/sections proves the token works too.
      await getJson("/identity", Identity, signal);
      await request("GET", "/library/sections", signal).then((r) => r.body?.cancel());
    },
    sections: async (signal) =>
      (await getJson("/library/sections", PlexSections, signal)).MediaContainer.Directory,
    async sectionTotal(key, signal) {
      const page = await getJson(
        `/library/sections/${encodeURIComponent(key)}/all`,
        PlexSectionTotal,
        signal,
        {
          "X-Plex-Container-Start": "0",
          "X-Plex-Container-Size": "0",
        },
      );
      return page.MediaContainer.totalSize;
    },
    sessions: async (signal) =>
      (await getJson("/status/sessions", PlexSessions, signal)).MediaContainer.Metadata,
    async search(query, limit, signal) {
      const qs = new URLSearchParams({ query, limit: String(limit) });
      return (await getJson(`/search?${qs}`, PlexSearch, signal)).MediaContainer.Metadata;
    },
    async refresh(key, path, signal) {
      const qs = path ? `?${new URLSearchParams({ path })}` : "";
      const response = await request(
        "GET",
        `/library/sections/${encodeURIComponent(key)}/refresh${qs}`,
        signal,
      );
      await response.body?.cancel();
    },
  };
}
