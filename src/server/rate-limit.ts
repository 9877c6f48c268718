import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/**
 * Limits each authenticated principal (one per API token; console sessions count against their
 * token) to the limiter's window. Over it: 429 with `Retry-After` (seconds) and a JSON error that
 * says when to try again. Runs after authentication, so an unknown token is a 401, never counted.
 */
export function rateLimit(limiter: RateLimiter, settings: { requests: number; windowSeconds: number }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const decision = await limiter.hit(c.var.principal.id);
    c.header("RateLimit-Limit", String(settings.requests));
    c.header("RateLimit-Remaining", String(decision.remaining));
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      c.header("Retry-After", String(seconds));
      return c.json(
        {
          error: {
            code: "rate_limited",
            message: `Too many requests for this token: at most ${settings.requests} per ${settings.windowSeconds} s. Try again in ${seconds} s.`,
            details: {
              limit: settings.requests,
              windowSeconds: settings.windowSeconds,
              retryAfterSeconds: seconds,
            },
          },
        },
        429,
      );
    }
    await next();
  });
}
