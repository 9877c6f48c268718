import { APICallError, RetryError } from "ai";
import type { ModelChoice } from "./models.ts";

function rootCause(error: unknown): unknown {
  let current = error;
  for (let i = 0; i < 5 && current instanceof RetryError; i++) current = current.lastError;
  return current;
}

/**
 * Says in plain words what went wrong with the model, for the user and the run record: which
 * endpoint, what it answered, and what to check. Never includes an API key.
 */
export function modelErrorMessage(error: unknown, model: ModelChoice): string {
  const cause = rootCause(error);
  const where = `the model ${model.name} at ${model.endpoint}`;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    if (status === 401 || status === 403)
      return `${where} refused the API key (HTTP ${status}). Check OPENAI_API_KEY.`;
    if (status === 404)
      return `${where} answered 404: check the base URL and the model name in JARVIS_MODEL.`;
    if (status === 429) return `${where} is rate limiting requests (HTTP 429). Try again shortly.`;
    if (status !== undefined) return `${where} failed (HTTP ${status}): ${cause.message}`;
    return `Cannot reach ${where}: ${cause.message}. Is the server running, and is JARVIS_MODEL right?`;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed|Cannot connect/i.test(message)) {
    return `Cannot reach ${where} (${message}). Is the server running, and is JARVIS_MODEL right?`;
  }
  return `The run failed: ${message}`;
}
