import type { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Secret } from "../../secret.ts";
import { createPinnedFetch } from "./pinned-fetch.ts";
import {
  SunshineServerInfo as ServerInfo,
  SunshineApps,
  SunshineClients,
  type SunshineServerInfo,
  SunshineStatus,
} from "./schemas.ts";

export interface SunshineClientOptions {
  /** The host's name in Jarvis (targets, `host` arguments). */
  name: string;
  /** The Web UI / API, e.g. https://gaming-pc:47990 */
  url: string;
  /** The GameStream HTTP port's base, e.g. http://gaming-pc:47989 (default: the API host, port 47989). */
  gamestreamUrl?: string;
  user: string;
  password: Secret;
  /** SHA-256 of Sunshine's self-signed certificate; without it the system's CAs are trusted. */
  certSha256?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A Sunshine game-streaming host. */
export interface SunshineClient {
  name: string;
  url: string;
  serverInfo(signal?: AbortSignal): Promise<SunshineServerInfo>;
  ping(signal?: AbortSignal): Promise<void>;
  apps(signal?: AbortSignal): Promise<Array<{ name: string }>>;
  clients(signal?: AbortSignal): Promise<Array<{ name: string; uuid: string }>>;
  pair(pin: string, name: string, signal?: AbortSignal): Promise<boolean>;
  unpair(uuid: string, signal?: AbortSignal): Promise<boolean>;
  closeApp(signal?: AbortSignal): Promise<boolean>;
}

/** Reads `<tag>value</tag>` fields of the GameStream XML (flat, no attributes needed). */
function xmlFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of xml.matchAll(/<([A-Za-z]+)>([^<]*)<\/\1>/g)) fields[m[1]!] = m[2]!;
  const code = xml.match(/<root[^>]*status_code="(\d+)"/);
  if (code) fields.status_code = code[1]!;
  return fields;
}

export function createSunshineClient(options: SunshineClientOptions): SunshineClient {
  const base = options.url.replace(/\/+$/, "");
  const api = new URL(base);
  const gamestream = (options.gamestreamUrl ?? `http://${api.hostname}:47989`).replace(/\/+$/, "");
  const secureFetch = options.fetch ?? (options.certSha256 ? createPinnedFetch(options.certSha256) : fetch);
  const plainFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const auth = () =>
    `Basic ${Buffer.from(`${options.user}:${options.password.reveal()}`).toString("base64")}`;

  async function call(
    doFetch: typeof fetch,
    url: string,
    init: RequestInit,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const where = new URL(url);
    try {
      const response = await doFetch(url, { ...init, signal: combined });
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new JarvisError(
          "unauthorized",
          `Sunshine at ${where.origin} refused the credentials (HTTP ${response.status}): check SUNSHINE_USER and SUNSHINE_PASSWORD`,
        );
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new JarvisError(
          "tool_failed",
          `Sunshine at ${where.origin} answered ${where.pathname} with HTTP ${response.status}`,
        );
      }
      return response;
    } catch (error) {
      if (error instanceof JarvisError) throw error;
      if (timeout.aborted)
        throw new JarvisError(
          "timeout",
          `Sunshine at ${where.origin} did not answer ${where.pathname} in ${timeoutMs} ms`,
        );
      if (signal?.aborted)
        throw new JarvisError("aborted", `The Sunshine request ${where.pathname} was cancelled`);
      const cause =
        (error as { cause?: { code?: string }; code?: string }).cause?.code ??
        (error as { code?: string }).code ??
        (error as Error).message;
      throw new JarvisError("unavailable", `Sunshine at ${where.origin} is unreachable (${cause})`, {
        cause: error,
      });
    }
  }

  async function json<T>(
    path: string,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
    body?: unknown,
  ): Promise<T> {
    const response = await call(
      secureFetch,
      `${base}${path}`,
      {
        method: body === undefined ? "GET" : "POST",
        headers: {
          Authorization: auth(),
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      signal,
    );
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new JarvisError(
        "tool_failed",
        `Sunshine answered ${path} with an unexpected shape: ${issue.path.join(".") || "(top level)"}: ${issue.message}`,
      );
    }
    return parsed.data;
  }

  async function serverInfo(signal?: AbortSignal) {
    const response = await call(plainFetch, `${gamestream}/serverinfo?uniqueid=0123456789ABCDEF`, {}, signal);
    const fields = xmlFields(await response.text());
    const parsed = ServerInfo.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new JarvisError(
        "tool_failed",
        `Sunshine answered /serverinfo with an unexpected shape: ${issue.path.join(".")}: ${issue.message}`,
      );
    }
    return parsed.data;
  }

  return {
    name: options.name,
    url: base,
    serverInfo,
    async ping(signal) {
      await serverInfo(signal);
      await json("/api/clients/list", SunshineClients, signal);
    },
    apps: async (signal) =>
      (await json("/api/apps", SunshineApps, signal)).apps.map((a) => ({ name: a.name })),
    clients: async (signal) => (await json("/api/clients/list", SunshineClients, signal)).named_certs,
    pair: async (pin, name, signal) => (await json("/api/pin", SunshineStatus, signal, { pin, name })).status,
    unpair: async (uuid, signal) =>
      (await json("/api/clients/unpair", SunshineStatus, signal, { uuid })).status,
    closeApp: async (signal) => (await json("/api/apps/close", SunshineStatus, signal, {})).status,
  };
}
