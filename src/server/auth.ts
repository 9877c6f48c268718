import { createMiddleware } from "hono/factory";
import { JarvisError } from "../errors.ts";
import type { Role } from "../tools/define-tool.ts";
import type { AppEnv } from "./env.ts";
import type { Tokens } from "./tokens.ts";

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
