import type { z } from "zod";
import { JarvisError } from "../../errors.ts";

/** The command that (re)authorises Jarvis, named in every error that needs it. */
export const authCommand = "npm run jarvis -- google auth";

/** What a gaxios error carries that matters here (it also carries the request: never kept). */
interface GaxiosLike {
  status?: number;
  code?: string | number;
  message?: string;
  name?: string;
  response?: { status?: number; data?: unknown };
  config?: { url?: string | URL };
  cause?: { code?: string; name?: string };
  error?: { code?: string; name?: string; cause?: { code?: string } };
}

/** A short reason from an API error body (`{error: {message}}`) or an OAuth one (`{error, error_description}`). */
function reasonOf(data: unknown): { oauth?: string; message?: string } {
  if (typeof data !== "object" || data === null) return {};
  const error = (data as { error?: unknown }).error;
  if (typeof error === "string") {
    const description = (data as { error_description?: unknown }).error_description;
    return { oauth: error, message: typeof description === "string" ? description : error };
  }
  if (typeof error === "object" && error !== null) {
    const message = (error as { message?: unknown }).message;
    return { message: typeof message === "string" ? message.slice(0, 200) : undefined };
  }
  return {};
}

/**
 * Maps anything the Google client library throws to a JarvisError a person (or a model) can act
 * on. The original error is not kept as `cause`: it holds the request, with its bearer token or,
 * for a refresh, the refresh token in the body.
 */
export function googleError(error: unknown, what: string, signal?: AbortSignal): JarvisError {
  if (error instanceof JarvisError) return error;
  const e = error as GaxiosLike;
  const status = e.status ?? e.response?.status;
  const { oauth, message } = reasonOf(e.response?.data);
  const url = String(e.config?.url ?? "");
  if (oauth === "invalid_grant") {
    return new JarvisError(
      "unauthorized",
      `Google refused the stored refresh token (revoked, expired or from another client): run \`${authCommand}\` again`,
    );
  }
  if (oauth === "invalid_client" || oauth === "unauthorized_client") {
    return new JarvisError(
      "invalid_config",
      `Google refused the OAuth client (${oauth}): check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET`,
    );
  }
  if (status === 401) {
    return new JarvisError(
      "unauthorized",
      `Google did not accept Jarvis's authorisation while trying to ${what}: run \`${authCommand}\` again`,
    );
  }
  if (status === 403) {
    return new JarvisError(
      "forbidden",
      `Google refused to ${what} (HTTP 403${message ? `: ${message}` : ""}); if a scope is missing, run \`${authCommand}\` again`,
    );
  }
  if (status === 404) return new JarvisError("not_found", `Google found nothing to ${what} (HTTP 404)`);
  if (status === 429) {
    return new JarvisError("unavailable", `Google is rate-limiting Jarvis (HTTP 429); try again in a minute`);
  }
  if (status !== undefined && status >= 400) {
    return new JarvisError(
      status >= 500 ? "unavailable" : "tool_failed",
      `Google answered HTTP ${status} while trying to ${what}${message ? `: ${message}` : ""}`,
    );
  }
  if (signal?.aborted) return new JarvisError("aborted", `Cancelled while trying to ${what} on Google`);
  const name = e.name ?? e.error?.name ?? e.cause?.name;
  if (name === "TimeoutError" || e.code === "TimeoutError" || /timeout|timed out/i.test(e.message ?? "")) {
    return new JarvisError("timeout", `Google did not answer in time while trying to ${what}`);
  }
  const code = e.error?.cause?.code ?? e.cause?.code ?? e.error?.code ?? e.code;
  const host = url ? safeHost(url) : "Google";
  return new JarvisError(
    "unavailable",
    `Google (${host}) is unreachable while trying to ${what}${code ? ` (${code})` : ""}`,
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "Google";
  }
}

/** Parses a response body, or says which field did not match, never echoing the body. */
export function parseShape<T>(schema: z.ZodType<T>, data: unknown, endpoint: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join(".") || "(top level)";
  throw new JarvisError(
    "tool_failed",
    `Google answered ${endpoint} with an unexpected shape: ${field}: ${issue.message}`,
    { details: { endpoint, field } },
  );
}
