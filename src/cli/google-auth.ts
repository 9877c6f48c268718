import type { Config } from "../config.ts";
import { JarvisError } from "../errors.ts";
import { authorizeGoogle } from "../tools/google/auth.ts";
import { clientSecretName, refreshTokenName } from "../tools/google/client.ts";
import type { Backend } from "./backend.ts";

/**
 * `jarvis google auth`: the installed-app OAuth flow in this terminal, with the refresh token
 * stored encrypted through the backend (in-process, or a running server's secrets API).
 */
export async function runGoogleAuth(
  config: Config,
  backend: Backend,
  options: { port?: number; print?: (line: string) => void } = {},
): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const { clientId, authUrl, tokenUrl } = config.google;
  if (!clientId) {
    throw new JarvisError(
      "invalid_config",
      'Set GOOGLE_CLIENT_ID (and GOOGLE_CLIENT_SECRET) to the OAuth client of a "Desktop app" first (see README, "Google")',
    );
  }
  const clientSecret = config.google.clientSecret ?? (await backend.readSecret(clientSecretName));
  const { scopes } = await authorizeGoogle({
    clientId,
    clientSecret,
    authUrl,
    tokenUrl,
    port: options.port,
    show(url, redirectUri) {
      print("Open this URL in a browser on this machine and allow access:");
      print("");
      print(`  ${url}`);
      print("");
      print(`Waiting for Google to redirect to ${redirectUri} …`);
    },
    store: (token) => backend.storeSecret(refreshTokenName, token),
  });
  print(`Google authorised. The refresh token is stored encrypted as ${refreshTokenName}.`);
  print(`Scopes: ${scopes.join(" ")}`);
}
