import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CodeChallengeMethod, OAuth2Client } from "google-auth-library";
import { JarvisError } from "../../errors.ts";
import { Secret } from "../../secret.ts";
import { googleError } from "./google-error.ts";

/**
 * The scopes Jarvis asks for, one per thing it does (least privilege per API):
 * - calendar.events: read and add events (not calendar settings or sharing)
 * - gmail.readonly: search and read mail; gmail.send: send mail (not delete or modify)
 * - drive.metadata.readonly: list and search files (names, not contents); drive.file: upload
 *   files (Jarvis can touch only the files it created)
 */
export const googleScopes = [
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
  "https://www.googleapis.com/auth/drive.file",
];

export interface GoogleAuthOptions {
  clientId: string;
  clientSecret?: Secret;
  /** Authorization endpoint (default https://accounts.google.com/o/oauth2/v2/auth). */
  authUrl?: string;
  /** Token endpoint (default https://oauth2.googleapis.com/token). */
  tokenUrl?: string;
  fetch?: typeof fetch;
  /** Loopback port to listen on; 0 (default) picks a free one. A fixed one suits an SSH tunnel. */
  port?: number;
  /** How long to wait for the browser's redirect (default 5 minutes). */
  timeoutMs?: number;
  /** Shows the URL the user opens (the CLI prints it). */
  show(url: string, redirectUri: string): void;
  /** Keeps the refresh token (the CLI stores it encrypted in the secret store). */
  store(refreshToken: Secret): Promise<void>;
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

const sameState = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * OAuth 2.0 for an installed app (https://developers.google.com/identity/protocols/oauth2/native-app):
 * a loopback redirect on 127.0.0.1, PKCE (S256) and a random state. Shows the consent URL, waits
 * for Google's redirect, checks the state, exchanges the code with the verifier and hands the
 * refresh token to `store`. The token is never printed. Returns the scopes Google granted.
 */
export async function authorizeGoogle(options: GoogleAuthOptions): Promise<{ scopes: string[] }> {
  let settle: { resolve: (scopes: string[]) => void; reject: (error: Error) => void } | undefined;
  const done = new Promise<string[]>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let finished = false;
  let client: OAuth2Client | undefined;
  let verifier = "";
  const state = randomBytes(24).toString("base64url");
  const send = (res: ServerResponse, status: number, title: string, text: string) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8", connection: "close" });
    res.end(page(title, text));
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/" || finished) return send(res, 404, "Not found", "");
    const q = url.searchParams;
    // A request without our state is not Google's answer to this run (another tab, a forged link).
    if (!sameState(q.get("state") ?? "", state)) {
      return send(res, 400, "Wrong request", "This is not the answer to the running `jarvis google auth`.");
    }
    finished = true;
    if (q.get("error")) {
      send(res, 200, "Not authorised", "Jarvis was not given access. You can close this tab.");
      return settle!.reject(
        new JarvisError("denied", `Google did not authorise Jarvis (${q.get("error")!.slice(0, 64)})`),
      );
    }
    const code = q.get("code");
    if (!code) {
      send(res, 400, "No code", "Google's answer had no authorization code.");
      return settle!.reject(new JarvisError("tool_failed", "Google redirected back without a code"));
    }
    try {
      const { tokens } = await client!.getToken({ code, codeVerifier: verifier });
      if (!tokens.refresh_token) {
        throw new JarvisError(
          "tool_failed",
          "Google answered without a refresh token: remove Jarvis's access at https://myaccount.google.com/permissions and run this again",
        );
      }
      await options.store(new Secret(tokens.refresh_token));
      send(res, 200, "Jarvis is authorised", "You can close this tab and return to the terminal.");
      settle!.resolve(tokens.scope ? tokens.scope.split(" ") : googleScopes);
    } catch (error) {
      send(res, 502, "Not authorised", "Exchanging the code failed; see the terminal.");
      settle!.reject(googleError(error, "exchange the authorization code"));
    }
  }

  const server = createServer((req, res) => void onRequest(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new JarvisError(
          "unavailable",
          `Cannot listen on 127.0.0.1:${options.port ?? 0} for Google's redirect (${error.code})`,
        ),
      ),
    );
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const timer = setTimeout(
    () =>
      settle!.reject(
        new JarvisError("timeout", "No answer from Google's sign-in page in time; run the command again"),
      ),
    options.timeoutMs ?? 300_000,
  );
  try {
    client = new OAuth2Client({
      clientId: options.clientId,
      clientSecret: options.clientSecret?.reveal(),
      redirectUri,
      endpoints: {
        ...(options.authUrl ? { oauth2AuthBaseUrl: options.authUrl } : {}),
        ...(options.tokenUrl ? { oauth2TokenUrl: options.tokenUrl } : {}),
      },
      transporterOptions: {
        timeout: 30_000,
        retry: false,
        ...(options.fetch ? { fetchImplementation: options.fetch } : {}),
      },
    });
    const pkce = await client.generateCodeVerifierAsync();
    verifier = pkce.codeVerifier;
    const url = client.generateAuthUrl({
      access_type: "offline",
      // Asks for consent every time, so Google always hands out a refresh token.
      prompt: "consent",
      scope: googleScopes,
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: pkce.codeChallenge,
    });
    options.show(url, redirectUri);
    return { scopes: await done };
  } finally {
    clearTimeout(timer);
    // The last page is sent with `connection: close`; a browser's idle extra connections are not waited for.
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 2000);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(force);
  }
}
