/**
 * Typed errors. Every failure that reaches a surface is a JarvisError with a stable `code`;
 * surfaces map codes to HTTP statuses, exit codes or model-readable text in one place each.
 */
export type ErrorCode =
  | "invalid_input"
  | "invalid_config"
  | "unknown_tool"
  | "not_found"
  | "conflict"
  | "denied"
  | "forbidden"
  | "unauthorized"
  | "approval_invalid"
  | "unavailable"
  | "timeout"
  | "aborted"
  | "tool_failed"
  | "internal";

export class JarvisError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for the caller (which field, which host); never secrets. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.name = "JarvisError";
    this.code = code;
    this.details = options?.details;
  }
}

/** HTTP status for each error code (one table, used by the server's onError). */
export const httpStatus: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_config: 500,
  unknown_tool: 404,
  not_found: 404,
  conflict: 409,
  denied: 403,
  forbidden: 403,
  unauthorized: 401,
  approval_invalid: 409,
  unavailable: 503,
  timeout: 504,
  aborted: 499,
  tool_failed: 502,
  internal: 500,
};

/** Wraps anything thrown into a JarvisError without losing the original as `cause`. */
export function toJarvisError(error: unknown, fallback: ErrorCode = "internal"): JarvisError {
  if (error instanceof JarvisError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new JarvisError(fallback, message, { cause: error });
}
