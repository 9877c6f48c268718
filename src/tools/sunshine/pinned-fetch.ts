import { request } from "node:https";
import { isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { JarvisError } from "../../errors.ts";

/** `AB:CD:…` or `abcd…` → `ABCD…`. */
export const normalizeFingerprint = (fp: string) => fp.replace(/[^0-9a-f]/gi, "").toUpperCase();

/** Opens a TLS connection and keeps it only if the server's certificate has the pinned SHA-256. */
async function pinnedSocket(
  host: string,
  port: number,
  fingerprint: string,
  signal?: AbortSignal,
): Promise<TLSSocket> {
  // Chain validation cannot apply to a self-signed certificate; the pin replaces it, and it is checked
  // after the handshake and before a single byte of the request (credentials) is written.
  const socket = connect({
    host,
    port,
    servername: isIP(host) ? undefined : host,
    rejectUnauthorized: false,
  });
  const abort = () => socket.destroy(new Error("aborted"));
  signal?.addEventListener("abort", abort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", resolve);
      socket.once("error", reject);
    });
  } finally {
    signal?.removeEventListener("abort", abort);
  }
  const presented = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? "");
  if (presented !== normalizeFingerprint(fingerprint)) {
    socket.destroy();
    throw new JarvisError(
      "unauthorized",
      `${host}:${port} presented a certificate with SHA-256 ${presented}, not the configured SUNSHINE_CERT_SHA256; nothing was sent`,
    );
  }
  return socket;
}

/**
 * A `fetch` for https:// URLs that trusts exactly one certificate, by its SHA-256 fingerprint
 * (Sunshine's self-signed one), instead of turning verification off.
 */
export function createPinnedFetch(fingerprint: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const signal = init.signal ?? undefined;
    const socket = await pinnedSocket(url.hostname, Number(url.port || 443), fingerprint, signal);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = typeof init.body === "string" ? init.body : undefined;
    return await new Promise<Response>((resolve, reject) => {
      const req = request(
        {
          method: init.method ?? "GET",
          host: url.hostname,
          path: `${url.pathname}${url.search}`,
          headers: { ...headers, ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
          createConnection: () => socket,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            socket.destroy();
            resolve(
              new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), {
                status: res.statusCode ?? 500,
                headers: Object.entries(res.headers).flatMap(([k, v]) =>
                  v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]),
                ),
              }),
            );
          });
          res.on("error", reject);
        },
      );
      req.on("error", (error) => {
        socket.destroy();
        reject(error);
      });
      req.end(body);
    });
  }) as typeof fetch;
}
