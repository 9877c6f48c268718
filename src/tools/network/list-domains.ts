import type { WatchedDomain } from "../../config.ts";
import { defineTool } from "../define-tool.ts";
import type { DomainCheck } from "./check.ts";
import { networkClient } from "./network-client.ts";
import { ListDomainsInput } from "./schemas.ts";

/** The line of a check that a list shows. */
function summary(check: DomainCheck) {
  return {
    domain: check.domain,
    up: check.up,
    http: { status: check.http.status, latencyMs: check.http.latencyMs },
    tls: check.tls && {
      issuer: check.tls.issuer,
      expires: check.tls.expires,
      daysToExpiry: check.tls.daysToExpiry,
      valid: check.tls.valid,
    },
    problems: check.problems,
    checked: check.checkedAt,
  };
}

/** net_list_domains: the watched domains with their last check; never-checked ones are checked now. */
export const listDomains = defineTool({
  name: "net_list_domains",
  title: "List domains",
  description:
    "Lists the domains Jarvis watches (domains.watch in jarvis.yaml) with their last check: up or not, HTTP status and latency, certificate issuer and days until it expires, and problems. refresh: true checks them all now.",
  input: ListDomainsInput,
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const network = networkClient(ctx);
    const last = input.refresh
      ? new Map<string, DomainCheck>()
      : ((await network.store?.last(network.domains.map((d) => d.domain))) ?? new Map<string, DomainCheck>());
    const fresh = async (target: WatchedDomain) => {
      const check = await network.check(target, ctx.signal);
      await network.store?.record(check).catch((error) => ctx.log.warn("domain check not stored", { error }));
      return check;
    };
    const checks = await Promise.all(
      network.domains.map((target) => {
        const known = last.get(target.domain);
        return known?.checkedAt ? known : fresh(target);
      }),
    );
    return { domains: checks.map(summary) };
  },
});
