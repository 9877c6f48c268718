import type { Backoff } from "./types.ts";

/** The wait before attempt `attempt + 1`, after `attempt` attempts failed (as BullMQ computes it). */
export function backoffDelay(backoff: Backoff | undefined, attempt: number): number {
  if (!backoff) return 0;
  return backoff.type === "fixed" ? backoff.delay : backoff.delay * 2 ** (attempt - 1);
}
