import { type ErrorCode, JarvisError } from "../../errors.ts";
import type { DockerHost } from "./client.ts";

/** Socket-level failures that mean "the engine is not there", not "the request was wrong". */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EACCES",
]);

interface DockerishError {
  statusCode?: number;
  code?: string;
  name?: string;
  message?: string;
  json?: { message?: string } | null;
}

/** The engine's own sentence ("No such container: x"), without dockerode's "(HTTP code 404) …" prefix. */
function engineMessage(error: DockerishError): string {
  const fromJson = error.json && typeof error.json === "object" ? error.json.message : undefined;
  return (fromJson ?? error.message ?? "unknown error").trim();
}

/**
 * Turns anything dockerode throws into a JarvisError a person or a model can act on: 404 →
 * not_found, 409 → conflict, socket errors → unavailable naming the host. `what` says what the
 * request was about ("container \"plex\"") so messages stay specific. Never leaks a stack trace.
 */
export function dockerError(error: unknown, host: DockerHost, what?: string): JarvisError {
  if (error instanceof JarvisError) return error;
  const e = (
    typeof error === "object" && error !== null ? error : { message: String(error) }
  ) as DockerishError;
  const about = what ? `${what} on host ${host.name}` : `host ${host.name}`;
  const fail = (code: ErrorCode, message: string) =>
    new JarvisError(code, message, { cause: error, details: { host: host.name } });
  if (e.code && unreachableCodes.has(e.code)) return unreachable(host, e.message ?? e.code, error);
  switch (e.statusCode) {
    case undefined:
      break;
    case 404:
      return fail("not_found", `Not found: ${about}: ${engineMessage(e)}`);
    case 409:
      return fail("conflict", `Conflict for ${about}: ${engineMessage(e)}`);
    case 400:
      return fail("invalid_input", `Docker rejected the request for ${about}: ${engineMessage(e)}`);
    default:
      return fail("tool_failed", `Docker error ${e.statusCode} for ${about}: ${engineMessage(e)}`);
  }
  if (e.name === "AbortError") return fail("aborted", `Request to Docker ${about} was cancelled`);
  return fail("tool_failed", `Docker request for ${about} failed: ${e.message ?? String(error)}`);
}

/** The one "host is down" error, so every tool words it the same way. */
export function unreachable(host: DockerHost, reason: string, cause?: unknown): JarvisError {
  const message = `Docker host "${host.name}" (${host.url}) is unreachable: ${reason}`;
  return new JarvisError("unavailable", message, { cause, details: { host: host.name } });
}

/** How long one engine may take to answer a quick call before we call it unreachable. */
export const hostDeadlineMs = 10_000;

/**
 * Runs one request against a host with the caller's abort signal plus a per-host deadline, and
 * maps failures through `dockerError`. The deadline matters when several hosts are asked at once:
 * one silent host must not use up the whole tool timeout.
 */
export async function onHost<T>(
  host: DockerHost,
  signal: AbortSignal,
  request: (signal: AbortSignal) => Promise<T>,
  options: { what?: string; deadlineMs?: number } = {},
): Promise<T> {
  const deadlineMs = options.deadlineMs ?? hostDeadlineMs;
  const deadline = AbortSignal.timeout(deadlineMs);
  try {
    return await request(AbortSignal.any([signal, deadline]));
  } catch (error) {
    if (deadline.aborted && !signal.aborted) {
      throw unreachable(host, `no answer within ${Math.round(deadlineMs / 1000)} s`, error);
    }
    throw dockerError(error, host, options.what);
  }
}
