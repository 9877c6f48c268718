import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { apiTokens } from "../db/schema.ts";
import type { Principal, Role } from "../tools/define-tool.ts";

export const roles = ["admin", "operator", "viewer"] as const satisfies readonly Role[];

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
/** How often a token's last use is written (a minute: enough for "last used" in the token list). */
const lastUsedEveryMs = 60_000;

export interface TokenPrincipal extends Principal {
  scopes: string[];
}

/**
 * API tokens: `jv_` + 32 random bytes (base64url). Only the SHA-256 is stored; a token is shown
 * once, when it is created. Tokens are high-entropy, so a fast hash is the right one here.
 */
export function createTokens(db: Db) {
  return {
    async create(input: {
      name: string;
      role: Role;
      scopes?: string[];
    }): Promise<{ id: string; token: string }> {
      const token = `jv_${randomBytes(32).toString("base64url")}`;
      const [row] = await db
        .insert(apiTokens)
        .values({
          name: input.name,
          role: input.role,
          scopes: input.scopes ?? [],
          prefix: token.slice(0, 10),
          hash: hash(token),
        })
        .returning({ id: apiTokens.id });
      return { id: row!.id, token };
    },

    /**
     * The principal a bearer token stands for, or undefined for unknown or revoked tokens. The last
     * use is recorded at most once a minute per token, so a busy client (voice, scripts) costs a
     * read, not a write, per request.
     */
    async verify(token: string): Promise<TokenPrincipal | undefined> {
      if (!token.startsWith("jv_") || token.length > 200) return undefined;
      const [row] = await db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.hash, hash(token)), isNull(apiTokens.revokedAt)))
        .limit(1);
      if (!row) return undefined;
      const now = new Date();
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > lastUsedEveryMs)
        await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
      return { id: `token:${row.name}`, name: row.name, role: row.role as Role, scopes: row.scopes };
    },

    async count(): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(apiTokens)
        .where(isNull(apiTokens.revokedAt));
      return row?.n ?? 0;
    },

    async list() {
      return db
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          role: apiTokens.role,
          prefix: apiTokens.prefix,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
        })
        .from(apiTokens);
    },

    async revoke(id: string): Promise<boolean> {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(eq(apiTokens.id, id))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },
  };
}
export type Tokens = ReturnType<typeof createTokens>;
