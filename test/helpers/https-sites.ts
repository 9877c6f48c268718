import { createServer, type Server } from "node:https";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Pem } from "./certs.ts";

/** What one virtual host answers: a status (and Location for redirects). */
export interface Site {
  pem: Pem;
  status?: number;
  location?: string;
}

/**
 * One local HTTPS server for many names: SNI picks the certificate, the Host header the answer.
 * Sites can be changed or added while it runs.
 */
export async function startHttpsSites(sites: Record<string, Site>): Promise<{
  port: number;
  sites: Record<string, Site>;
  close(): Promise<void>;
}> {
  // A context per handshake, so a test can swap a site's certificate (a renewal) while it runs.
  const contextOf = (name: string): SecureContext | undefined => {
    const site = sites[name];
    return site && createSecureContext({ key: site.pem.key, cert: site.pem.cert });
  };
  const first = Object.values(sites)[0]!;
  const server: Server = createServer(
    {
      key: first.pem.key,
      cert: first.pem.cert,
      SNICallback: (name, done) => done(null, contextOf(name) ?? contextOf(Object.keys(sites)[0]!)),
    },
    (request, response) => {
      const host = (request.headers.host ?? "").replace(/:\d+$/, "");
      const site = sites[host];
      const status = site?.status ?? (site ? 200 : 421);
      response.writeHead(status, site?.location ? { location: site.location } : {});
      response.end(status === 200 ? "ok\n" : "");
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    sites,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
