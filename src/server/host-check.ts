import { isIP } from "node:net";
import { createMiddleware } from "hono/factory";
import { JarvisError } from "../errors.ts";

export interface HostCheckOptions {
  /** Extra host names (with or without :port) that may appear in the Host header. */
  allowedHosts: readonly string[];
  /** Extra origins (scheme://host[:port]) a browser page may call from. */
  allowedOrigins: readonly string[];
}

const loopbackNames = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** The host name of a Host header value, without port or IPv6 brackets, lower case. */
function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(1, value.indexOf("]"));
  const colon = value.lastIndexOf(":");
  return colon > 0 && value.indexOf(":") === colon ? value.slice(0, colon) : value;
}

const isLoopbackName = (name: string) =>
  loopbackNames.has(name) || name.endsWith(".localhost") || name.startsWith("127.");

/**
 * DNS-rebinding protection (as the MCP spec asks of HTTP servers): a page on evil.example that
 * re-resolves its name to 127.0.0.1 reaches us with `Host: evil.example`, so a Host header must
 * be loopback, an IP address (a rebinding needs a name), or a configured name. A cross-origin page
 * is refused unless its Origin is loopback, this same host, or configured.
 */
export function hostCheck(options: HostCheckOptions) {
  const hosts = new Set(options.allowedHosts.map((h) => h.trim().toLowerCase()));
  const hostNames = new Set([...hosts].map(hostName));
  const origins = new Set(options.allowedOrigins.map((o) => o.trim().toLowerCase().replace(/\/$/, "")));

  const hostAllowed = (host: string) => {
    const name = hostName(host);
    return isLoopbackName(name) || isIP(name) !== 0 || hosts.has(host.toLowerCase()) || hostNames.has(name);
  };

  return createMiddleware(async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!hostAllowed(host)) {
      throw new JarvisError(
        "forbidden",
        `Host ${host} is not allowed (DNS rebinding protection); add it to JARVIS_ALLOWED_HOSTS`,
      );
    }
    const origin = c.req.header("origin");
    if (origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host.toLowerCase();
      } catch {
        originHost = undefined;
      }
      const allowed =
        originHost !== undefined &&
        (originHost === host.toLowerCase() ||
          isLoopbackName(hostName(originHost)) ||
          origins.has(origin.toLowerCase().replace(/\/$/, "")));
      if (!allowed) {
        throw new JarvisError(
          "forbidden",
          `Origin ${origin} is not allowed (DNS rebinding protection); add it to JARVIS_ALLOWED_ORIGINS`,
        );
      }
    }
    await next();
  });
}
