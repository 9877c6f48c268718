import { vi } from "vitest";

/**
 * `vi.waitFor` with a deadline fit for a busy CI machine (its own default is one second, which a
 * loaded two-core runner overshoots): retries `check` every 50 ms until it stops throwing.
 */
export function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: 50 });
}
