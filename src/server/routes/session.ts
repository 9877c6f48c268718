import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Jarvis } from "../../jarvis.ts";
import { checkCsrf, sessionCookie } from "../auth.ts";
import { parseBody } from "../body.ts";
import type { AppEnv } from "../env.ts";
import { csrfFor } from "../sessions.ts";

const SignIn = z.strictObject({ token: z.string().min(1).max(200) });

/**
 * The chat console's sign-in: POST /api/session {token} sets an HttpOnly, SameSite=Strict session
 * cookie and answers the CSRF token; GET tells who is signed in (and the CSRF token again, for a
 * reloaded page); DELETE signs out. These routes authenticate themselves (no bearer needed).
 */
export function sessionRoutes(jarvis: Jarvis) {
  const current = async (secret: string | undefined) => {
    const session = secret ? await jarvis.sessions.verify(secret) : undefined;
    if (!secret || !session)
      throw new JarvisError("unauthorized", "Not signed in, or the session expired; sign in again");
    return { secret, session };
  };
  const view = (secret: string, principal: { name: string; role: string }, expiresAt: Date) => ({
    user: { name: principal.name, role: principal.role },
    csrf: csrfFor(secret),
    expiresAt: expiresAt.toISOString(),
  });

  return new Hono<AppEnv>()
    .post("/", async (c) => {
      const { token } = await parseBody(c, SignIn, "sign-in");
      const started = await jarvis.sessions.start(token.trim());
      if (!started) throw new JarvisError("unauthorized", "That API token is not valid (or was revoked)");
      const principal = await jarvis.sessions.verify(started.secret);
      setCookie(c, sessionCookie, started.secret, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:",
        expires: started.expiresAt,
      });
      return c.json(view(started.secret, principal!.principal, started.expiresAt));
    })
    .get("/", async (c) => {
      const { secret, session } = await current(getCookie(c, sessionCookie));
      return c.json(view(secret, session.principal, session.expiresAt));
    })
    .delete("/", async (c) => {
      const { secret } = await current(getCookie(c, sessionCookie));
      checkCsrf(c, secret);
      await jarvis.sessions.end(secret);
      deleteCookie(c, sessionCookie, { path: "/" });
      return c.json({ signedOut: true });
    });
}
