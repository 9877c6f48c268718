import { failure, list, plural } from "../answers.ts";
import { intent } from "../intent.ts";

/** The parts of a net_check_domain (or a net_list_domains row) that answers read. */
interface CheckView {
  domain?: string;
  up?: boolean;
  dns?: { A?: string[]; AAAA?: string[]; CNAME?: string[]; error?: string | null };
  http?: { status?: number | null; latencyMs?: number | null; redirects?: number; error?: string | null };
  tls?: { daysToExpiry?: number; issuer?: string | null; valid?: boolean } | null;
  problems?: string[];
}

const view = (output: unknown) => (output ?? {}) as CheckView;

/** "example.org answers HTTP 200 in 176 ms; its certificate (Let's Encrypt R11) expires in 9 days." */
export function describeCheck(domain: string, check: CheckView): string {
  const http = check.http;
  const parts: string[] = [];
  if (http?.status)
    parts.push(
      `${domain} ${check.up === false ? "is down: it" : "is up: it"} answers HTTP ${http.status}${
        http.latencyMs != null ? ` in ${http.latencyMs} ms` : ""
      }`,
    );
  else parts.push(`${domain} is down${http?.error ? `: ${http.error}` : ""}`);
  const days = check.tls?.daysToExpiry;
  if (days !== undefined)
    parts.push(
      days < 0
        ? `its certificate expired ${plural(-days, "day")} ago`
        : `its certificate${check.tls?.issuer ? ` (${check.tls.issuer})` : ""} expires in ${plural(days, "day")}${
            days <= 14 ? " — renew it soon" : ""
          }`,
    );
  const other = (check.problems ?? []).filter((p) => !/expires in|^HTTPS/.test(p) && !p.includes("NXDOMAIN"));
  if (check.dns?.error) parts.push(check.dns.error);
  if (other.length) parts.push(`problems: ${other.join("; ")}`);
  return `${parts.join("; ")}.`;
}

function describeDns(domain: string, check: CheckView): string {
  const dns = check.dns;
  if (!dns) return `I have no DNS answer for ${domain}.`;
  if (dns.error) return `${domain}: ${dns.error}.`;
  const parts: string[] = [];
  if (dns.CNAME?.length) parts.push(`is an alias (CNAME) of ${list(dns.CNAME)}`);
  if (dns.A?.length) parts.push(`resolves to ${list(dns.A)}`);
  if (dns.AAAA?.length) parts.push(`${dns.A?.length ? "and" : "resolves to"} ${list(dns.AAAA)} (IPv6)`);
  return parts.length ? `${domain} ${parts.join(" ")}.` : `${domain} has no A, AAAA or CNAME records.`;
}

const check = (domain: unknown) => [{ tool: "net_check_domain", args: { domain } }];

export const networkIntents = [
  intent({
    name: "net.dns",
    templates: [
      "(what|which) (ip|ips|ip address|address|addresses) (does|do) {domain} (resolve|point) to",
      "what does {domain} (resolve|point) to",
      "(resolve|look up|lookup|dig) {domain}",
      "(show|get|check|what are) [the] (dns|dns records|records) (of|for) {domain}",
    ],
    slots: { domain: "domain" },
    plan: (s) => check(s.domain),
    answer: (s, o) => failure(o, `look up ${s.domain}`) ?? describeDns(String(s.domain), view(o[0]?.output)),
  }),
  intent({
    name: "net.latency",
    templates: [
      "how (fast|quickly|slow) (is|does) {domain} (responding|respond|answering|answer|load|loading)",
      "(whats|what is|show|check) [the] (latency|response time) (of|for) {domain}",
    ],
    slots: { domain: "domain" },
    plan: (s) => check(s.domain),
    answer: (s, o) => {
      const bad = failure(o, `check ${s.domain}`);
      if (bad) return bad;
      const out = view(o[0]?.output);
      const ms = out.http?.latencyMs;
      return ms != null
        ? `${s.domain} answered HTTP ${out.http?.status} in ${ms} ms${out.http?.redirects ? ` (after ${plural(out.http.redirects, "redirect")})` : ""}.`
        : describeCheck(String(s.domain), out);
    },
  }),
  intent({
    name: "net.check",
    templates: [
      "(is|are) {domain} (up|down|online|reachable|working|ok)",
      "(check|test) [the] [domain|site|website] {domain}",
      "when (does|will) [the] (certificate|cert|tls certificate|ssl certificate) (of|for) {domain} (expire|run out)",
      "when (does|will) {domain} [certificate|cert] (expire|run out)",
      "(is|are) [my] (site|website) {domain} (up|down|ok)",
    ],
    slots: { domain: "domain" },
    plan: (s) => check(s.domain),
    answer: (s, o) => failure(o, `check ${s.domain}`) ?? describeCheck(String(s.domain), view(o[0]?.output)),
  }),
  intent({
    name: "net.domains",
    templates: [
      "(list|show|which|what) [are] [the|my] (domains|sites|websites) [do you watch|are monitored]",
      "(which|what) (domains|sites|websites) (are you|do you) (monitoring|watching|monitor|watch|checking|check)",
      "(check|how are) [all] [my] (domains|sites|certificates|certs)",
      "(are|is) [all] [my] (domains|sites|websites|certificates|certs) (ok|fine|healthy|up|valid|good)",
      "(any|are there any) (tls|ssl|https) (certs|certificates) (about to|going to|that will) (run out|expire)",
      "(any|are there any) (certs|certificates) (expiring|about to expire) [soon]",
    ],
    plan: () => [{ tool: "net_list_domains", args: {} }],
    answer: (_s, o) => {
      const bad = failure(o, "list the domains");
      if (bad) return bad;
      const rows = ((o[0]?.output as { domains?: CheckView[] } | undefined)?.domains ?? []).filter(
        (d) => d.domain,
      );
      if (!rows.length)
        return "I watch no domains: add them to domains.watch in jarvis.yaml (or JARVIS_DOMAINS).";
      return rows.map((row) => describeCheck(row.domain!, row)).join(" ");
    },
  }),
];
