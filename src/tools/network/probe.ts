import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { TLSSocket } from "node:tls";
import { type CertificateFacts, certificateFacts } from "./certificate.ts";
import type { DnsResolver } from "./resolver.ts";

/** The HTTP side of a check: the first answer that is not a redirect, and how long it took. */
export interface HttpFacts {
  url: string;
  /** The final status; null when no answer came (refused, timed out, TLS failed, too many redirects). */
  status: number | null;
  /** From sending the first request to the final response's headers, redirects included. */
  latencyMs: number | null;
  redirects: number;
  /** The URLs redirected to, in order. */
  redirectedTo: string[];
  finalUrl: string;
  error: string | null;
}

export interface ProbeResult {
  http: HttpFacts;
  /** The certificate of the first hop (the domain's own), if a TLS handshake happened. */
  tls: CertificateFacts | null;
}

export interface ProbeOptions {
  resolver: DnsResolver;
  /** Trusted CAs (PEM); undefined: Node's bundled store. */
  ca?: string[];
  maxRedirects: number;
  signal: AbortSignal;
  now?: () => number;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Resolves through the injected resolver, so checks follow the configured DNS servers. */
function lookupWith(resolver: DnsResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolver.address(hostname).then(
      ({ address, family }) => {
        if (options.all)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
            { address, family },
          ]);
        else callback(null, address, family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/** One request: resolves with the response head; the body is discarded. */
function once(url: URL, options: ProbeOptions, onTls: (socket: TLSSocket) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: "GET",
      agent: false,
      lookup: lookupWith(options.resolver),
      signal: options.signal,
      headers: { "user-agent": "jarvis-domain-check", accept: "*/*", connection: "close" },
      ...(secure
        ? // Verification is read from the socket and reported, not enforced: a bad certificate is a finding.
          {
            rejectUnauthorized: false,
            ca: options.ca,
            servername: url.hostname,
            // So that socket.authorized means the chain alone; the hostname is checked on its own.
            checkServerIdentity: () => undefined,
          }
        : {}),
    });
    if (secure)
      request.once("socket", (socket) => socket.once("secureConnect", () => onTls(socket as TLSSocket)));
    request.once("response", (response) => {
      response.resume();
      response.once("error", () => {});
      resolve(response);
    });
    request.once("error", reject);
    request.end();
  });
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.name === "AbortError" || e?.code === "ABORT_ERR") return "timed out";
  if (e?.code === "ECONNREFUSED") return "connection refused";
  if (e?.code === "ECONNRESET") return "connection reset";
  return e?.message || String(error);
}

/** Requests `url`, following redirects up to the limit; a failure is a finding, not an exception. */
export async function probe(start: URL, options: ProbeOptions): Promise<ProbeResult> {
  const now = options.now ?? Date.now;
  const began = performance.now();
  const redirectedTo: string[] = [];
  let tls: CertificateFacts | null = null;
  let url = start;
  const result = (status: number | null, error: string | null): ProbeResult => ({
    http: {
      url: start.href,
      status,
      latencyMs: status === null ? null : Math.round(performance.now() - began),
      redirects: redirectedTo.length,
      redirectedTo,
      finalUrl: url.href,
      error,
    },
    tls,
  });
  for (;;) {
    const first = redirectedTo.length === 0;
    let response: IncomingMessage;
    try {
      response = await once(url, options, (socket) => {
        if (first) tls = certificateFacts(socket, url.hostname, now());
      });
    } catch (error) {
      return result(null, reason(error));
    }
    response.socket?.destroy();
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!redirectStatuses.has(status) || !location) return result(status, null);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return result(status, `redirect to an invalid URL: ${location.slice(0, 200)}`);
    }
    if (next.protocol !== "https:" && next.protocol !== "http:")
      return result(status, `redirect to a ${next.protocol} URL is not followed`);
    if (redirectedTo.length >= options.maxRedirects)
      return result(null, `more than ${options.maxRedirects} redirects`);
    redirectedTo.push(next.href);
    url = next;
  }
}
