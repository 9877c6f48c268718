import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { domainChecks } from "../../db/schema.ts";
import type { DomainCheck } from "./check.ts";

/** The A/AAAA/CNAME records of a name, sorted, as the monitor compares them. */
export interface DnsRecords {
  A: string[];
  AAAA: string[];
  CNAME: string[];
}

/** Last checks and DNS baselines, in the domain_checks table. */
export interface DomainStore {
  record(check: DomainCheck): Promise<void>;
  last(domains: readonly string[]): Promise<Map<string, DomainCheck>>;
  baseline(domain: string): Promise<DnsRecords | null>;
  setBaseline(domain: string, records: DnsRecords): Promise<void>;
}

export function createDomainStore(db: Db): DomainStore {
  return {
    async record(check) {
      const checkedAt = new Date(check.checkedAt);
      await db
        .insert(domainChecks)
        .values({ domain: check.domain, checkedAt, result: check })
        .onConflictDoUpdate({ target: domainChecks.domain, set: { checkedAt, result: check } });
    },
    async last(domains) {
      if (!domains.length) return new Map();
      const rows = await db
        .select()
        .from(domainChecks)
        .where(inArray(domainChecks.domain, [...domains]));
      return new Map(rows.map((row) => [row.domain, row.result as DomainCheck]));
    },
    async baseline(domain) {
      const [row] = await db
        .select({ dns: domainChecks.dnsBaseline })
        .from(domainChecks)
        .where(eq(domainChecks.domain, domain));
      return (row?.dns as DnsRecords | null | undefined) ?? null;
    },
    async setBaseline(domain, records) {
      const now = new Date();
      await db
        .insert(domainChecks)
        .values({ domain, checkedAt: now, result: {}, dnsBaseline: records, dnsBaselineAt: now })
        .onConflictDoUpdate({
          target: domainChecks.domain,
          set: { dnsBaseline: records, dnsBaselineAt: now },
        });
    },
  };
}
