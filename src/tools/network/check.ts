import type { WatchedDomain } from "../../config.ts";
import type { CertificateFacts } from "./certificate.ts";
import { type HttpFacts, probe } from "./probe.ts";
import type { DnsAnswer, DnsResolver } from "./resolver.ts";

/** One check of a domain: DNS, HTTPS and the certificate, with the problems found in plain words. */
export interface DomainCheck {
  domain: string;
  checkedAt: string;
  /** An HTTP answer below 500 came back. */
  up: boolean;
  dns: DnsAnswer;
  http: HttpFacts;
  tls: CertificateFacts | null;
  problems: string[];
}

export interface CheckDeps {
  resolver: DnsResolver;
  ca?: string[];
  maxRedirects: number;
  signal: AbortSignal;
  now?: () => number;
}

/** The URL a check requests: https://<domain>[:port]<path>. */
export function urlOf(target: WatchedDomain): URL {
  return new URL(`https://${target.domain}${target.port ? `:${target.port}` : ""}${target.path ?? "/"}`);
}

function problemsOf(check: Omit<DomainCheck, "problems">): string[] {
  const problems: string[] = [];
  if (check.dns.error) problems.push(check.dns.error);
  if (check.http.error) problems.push(`HTTPS: ${check.http.error}`);
  else if (check.http.status !== null && check.http.status >= 500)
    problems.push(`HTTPS answers ${check.http.status}`);
  const tls = check.tls;
  if (tls) {
    if (tls.daysToExpiry < 0) problems.push(`the certificate expired on ${tls.expires.slice(0, 10)}`);
    else if (tls.daysToExpiry <= 14)
      problems.push(`the certificate expires in ${tls.daysToExpiry} day${tls.daysToExpiry === 1 ? "" : "s"}`);
    if (tls.selfSigned) problems.push("the certificate is self-signed");
    else if (!tls.chainValid && tls.daysToExpiry >= 0)
      problems.push(`the certificate chain does not verify (${tls.chainError})`);
    if (!tls.hostnameMatch)
      problems.push(
        `the certificate is not valid for ${check.domain} (it names ${tls.names.join(", ") || tls.subject})`,
      );
  }
  return problems;
}

/** Checks one domain now. Every failure is part of the result; nothing here throws for a bad site. */
export async function checkDomain(target: WatchedDomain, deps: CheckDeps): Promise<DomainCheck> {
  const now = deps.now ?? Date.now;
  const answer = deps.resolver.resolve(target.domain);
  // The request connects to the address just resolved, rather than asking the DNS servers again.
  const resolver: DnsResolver = {
    resolve: (name) => deps.resolver.resolve(name),
    async address(name) {
      if (name === target.domain) {
        const { A, AAAA } = await answer;
        if (A[0]) return { address: A[0], family: 4 };
        if (AAAA[0]) return { address: AAAA[0], family: 6 };
      }
      return deps.resolver.address(name);
    },
  };
  const [dns, result] = await Promise.all([
    answer,
    probe(urlOf(target), {
      resolver,
      ca: deps.ca,
      maxRedirects: deps.maxRedirects,
      signal: deps.signal,
      now,
    }),
  ]);
  const check = {
    domain: target.domain,
    checkedAt: new Date(now()).toISOString(),
    up: result.http.status !== null && result.http.status < 500,
    dns,
    http: result.http,
    tls: result.tls,
  };
  return { ...check, problems: problemsOf(check) };
}
