/**
 * The console's HTTP client: same-origin requests with the session cookie, the CSRF token on every
 * state-changing request, plain-words errors, and a sign-out signal on 401.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf = "";
/** The session's CSRF token (from sign-in or GET /api/session). */
export const setCsrf = (token: string) => {
  csrf = token;
};

/** Fired when the server says the session is gone: the app goes back to sign-in. */
export const signedOutEvent = "jarvis:signed-out";

export const serverDown =
  "Jarvis is not answering. Check that the server is running (npm start) and reachable, then try again.";

/** fetch with the CSRF header; turns network failures and 401s into plain words. */
export async function apiFetch(
  input: string,
  init: RequestInit = {},
  signOutOn401 = true,
): Promise<Response> {
  let response: Response;
  const headers = new Headers(init.headers);
  if (csrf) headers.set("x-csrf-token", csrf);
  try {
    response = await fetch(input, { ...init, credentials: "same-origin", headers });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, serverDown);
  }
  if (response.status === 401 && signOutOn401) {
    window.dispatchEvent(new CustomEvent(signedOutEvent));
    throw new ApiError(401, "Your session has ended. Sign in again; your draft is kept.");
  }
  if (response.status >= 502 && response.status <= 504) throw new ApiError(response.status, serverDown);
  return response;
}

/** A JSON request; a non-2xx answer throws an ApiError with the server's message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await apiFetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.message ?? `HTTP ${response.status}`);
  return body as T;
}
