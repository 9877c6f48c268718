import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { Config, WatchedDomain } from "../../config.ts";
import { JarvisError } from "../../errors.ts";
import { checkDomain, type DomainCheck } from "./check.ts";
import { createDnsResolver, type DnsResolver } from "./resolver.ts";
import type { DomainStore } from "./store.ts";

/** Domains and certificates: the watched list, a check, and (with a database) the last results. */
export interface NetworkClient {
  domains: readonly WatchedDomain[];
  resolver: DnsResolver;
  check(target: WatchedDomain, signal: AbortSignal): Promise<DomainCheck>;
  store?: DomainStore;
}

/** Reads the configured CA file; the trusted set is the system store plus it. */
function trustedCas(caFile: string | undefined, extra: readonly string[] = []): string[] | undefined {
  if (!caFile && !extra.length) return undefined;
  let pem = "";
  if (caFile) {
    try {
      pem = readFileSync(caFile, "utf8");
    } catch (error) {
      throw new JarvisError("invalid_config", `domains.caFile: cannot read ${caFile}`, { cause: error });
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----"))
      throw new JarvisError("invalid_config", `domains.caFile: ${caFile} holds no PEM certificate`);
  }
  return [...rootCertificates, ...(pem ? [pem] : []), ...extra];
}

export function createNetworkClient(
  settings: Config["domains"],
  options: { store?: DomainStore; resolver?: DnsResolver; ca?: readonly string[]; now?: () => number } = {},
): NetworkClient {
  const resolver =
    options.resolver ??
    createDnsResolver({ servers: settings.dnsServers, timeoutMs: settings.timeoutSeconds * 1000 });
  const ca = trustedCas(settings.caFile, options.ca);
  return {
    domains: settings.watch,
    resolver,
    store: options.store,
    check: (target, signal) =>
      checkDomain(target, {
        resolver,
        ca,
        maxRedirects: settings.maxRedirects,
        signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutSeconds * 1000)]),
        now: options.now,
      }),
  };
}
