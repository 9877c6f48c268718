import type { TokenPrincipal } from "./tokens.ts";

/** Hono's typed context variables for the Jarvis app. */
export interface AppEnv {
  Variables: { principal: TokenPrincipal };
}
