import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { apiTokens, sessions } from "../db/schema.ts";
import type { Role } from "../tools/define-tool.ts";
import type { TokenPrincipal } from "./tokens.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The CSRF token of a session: derived from its secret, so only the cookie's holder can know it. */
export const csrfFor = (secret: string) => sha256(`jarvis-csrf:${secret}`);

/** Constant-time comparison of two CSRF tokens. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SessionInfo {
  id: string;
  principal: TokenPrincipal;
  expiresAt: Date;
}

/**
 * Browser sessions: an API token is exchanged for a random session secret (the cookie). Only the
 * secret's SHA-256 is stored, with the token it came from, so revoking the token ends the session.
 */
export function createSessions(db: Db, options: { ttlMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  return {
    /** Starts a session for a valid API token; undefined for an unknown or revoked one. */
    async start(token: string): Promise<{ secret: string; csrf: string; expiresAt: Date } | undefined> {
      if (!token.startsWith("jv_") || token.length > 200) return undefined;
      const [row] = await db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(and(eq(apiTokens.hash, sha256(token)), isNull(apiTokens.revokedAt)));
      if (!row) return undefined;
      const secret = `js_${randomBytes(32).toString("base64url")}`;
      const expiresAt = new Date(now() + options.ttlMs);
      await db.insert(sessions).values({ hash: sha256(secret), tokenId: row.id, expiresAt });
      return { secret, csrf: csrfFor(secret), expiresAt };
    },

    /** The live session a cookie secret stands for (not ended, not expired, token not revoked). */
    async verify(secret: string): Promise<SessionInfo | undefined> {
      if (!secret.startsWith("js_") || secret.length > 200) return undefined;
      const [row] = await db
        .select({
          id: sessions.id,
          expiresAt: sessions.expiresAt,
          name: apiTokens.name,
          role: apiTokens.role,
          scopes: apiTokens.scopes,
        })
        .from(sessions)
        .innerJoin(apiTokens, eq(apiTokens.id, sessions.tokenId))
        .where(
          and(
            eq(sessions.hash, sha256(secret)),
            isNull(sessions.endedAt),
            gt(sessions.expiresAt, new Date(now())),
            isNull(apiTokens.revokedAt),
          ),
        );
      if (!row) return undefined;
      return {
        id: row.id,
        expiresAt: row.expiresAt,
        principal: { id: `token:${row.name}`, name: row.name, role: row.role as Role, scopes: row.scopes },
      };
    },

    /** Ends a session (sign-out). */
    async end(secret: string): Promise<boolean> {
      const rows = await db
        .update(sessions)
        .set({ endedAt: new Date(now()) })
        .where(and(eq(sessions.hash, sha256(secret)), isNull(sessions.endedAt)))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    /** Deletes ended and expired sessions; returns how many. */
    async prune(): Promise<number> {
      const rows = await db
        .delete(sessions)
        .where(or(lt(sessions.expiresAt, new Date(now())), isNotNull(sessions.endedAt)))
        .returning({ id: sessions.id });
      return rows.length;
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
