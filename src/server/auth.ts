import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { JarvisError } from "../errors.ts";
import type { Role } from "../tools/define-tool.ts";
import type { AppEnv } from "./env.ts";
import { csrfFor, type Sessions, sameToken } from "./sessions.ts";
import type { Tokens } from "./tokens.ts";

/** The chat console's session cookie. */
export const sessionCookie = "jarvis_session";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A cookie-authenticated request that changes state must carry the session's CSRF token in
 * `x-csrf-token` and, when the browser says where it comes from, come from this origin.
 */
export function checkCsrf(c: Context, secret: string): void {
  if (safeMethods.has(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin)
    throw new JarvisError("forbidden", `Cross-origin request from ${origin} refused`);
  const csrf = c.req.header("x-csrf-token") ?? "";
  if (!sameToken(csrf, csrfFor(secret)))
    throw new JarvisError("forbidden", "Missing or wrong x-csrf-token header for this session");
}

/**
 * Authenticates a bearer API token or, failing that, the chat console's session cookie (with the
 * CSRF check for state-changing requests); puts the principal in `c.var.principal`.
 */
export function authenticate(deps: { tokens: Tokens; sessions: Sessions }) {
  const bearer = bearerAuth(deps.tokens);
  return createMiddleware<AppEnv>(async (c, next) => {
    const secret = c.req.header("authorization") ? undefined : getCookie(c, sessionCookie);
    if (!secret) return bearer(c, next);
    const session = await deps.sessions.verify(secret);
    if (!session) throw new JarvisError("unauthorized", "Your session has expired or ended; sign in again");
    checkCsrf(c, secret);
    c.set("principal", session.principal);
    await next();
  });
}

/** Requires a valid bearer API token and puts its principal in `c.var.principal`. */
export function bearerAuth(tokens: Tokens) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await tokens.verify(match[1]!) : undefined;
    if (!principal) {
      c.header("WWW-Authenticate", 'Bearer realm="jarvis"');
      throw new JarvisError(
        "unauthorized",
        match ? "Invalid or revoked API token" : "Missing bearer API token (Authorization: Bearer <token>)",
      );
    }
    c.set("principal", principal);
    await next();
  });
}

/** Allows only the given roles past this point. */
export function requireRole(...allowed: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.var.principal;
    if (!allowed.includes(principal.role)) {
      throw new JarvisError(
        "forbidden",
        `This needs a ${allowed.join(" or ")} token; ${principal.name} is ${principal.role}`,
      );
    }
    await next();
  });
}
