import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";

/** What a name resolves to: A, AAAA and CNAME records, or why it does not resolve. */
export interface DnsAnswer {
  A: string[];
  AAAA: string[];
  CNAME: string[];
  /** NXDOMAIN, a server that does not answer…; null when the name resolved (even to nothing). */
  error: string | null;
}

/** Resolves names against configured DNS servers (or the system's); injected into checks. */
export interface DnsResolver {
  resolve(name: string): Promise<DnsAnswer>;
  /** The first address of a name (A before AAAA), for connecting; throws when there is none. */
  address(name: string): Promise<{ address: string; family: 4 | 6 }>;
}

/** "No such record" codes: the name exists (or not) but has no record of that type. */
const empty = new Set(["ENODATA", "ENOTFOUND"]);

/**
 * A resolver over node:dns (c-ares): it asks the servers directly, so it does not read
 * /etc/hosts. `servers` are `ip` or `ip:port` (`[v6]:port`); none means the system's resolv.conf.
 */
export function createDnsResolver(
  options: { servers?: readonly string[]; timeoutMs?: number } = {},
): DnsResolver {
  const resolver = new Resolver({ timeout: Math.min(options.timeoutMs ?? 5000, 5000), tries: 2 });
  if (options.servers?.length) resolver.setServers([...options.servers]);

  async function records(
    kind: "A" | "AAAA" | "CNAME",
    name: string,
  ): Promise<string[] | NodeJS.ErrnoException> {
    try {
      if (kind === "A") return await resolver.resolve4(name);
      if (kind === "AAAA") return await resolver.resolve6(name);
      return await resolver.resolveCname(name);
    } catch (error) {
      return error as NodeJS.ErrnoException;
    }
  }

  return {
    async resolve(name) {
      const [a, aaaa, cname] = await Promise.all([
        records("A", name),
        records("AAAA", name),
        records("CNAME", name),
      ]);
      const answers = [a, aaaa, cname];
      const list = (value: string[] | NodeJS.ErrnoException) => (Array.isArray(value) ? value.sort() : []);
      const failures = answers.filter((v): v is NodeJS.ErrnoException => !Array.isArray(v));
      const hard = failures.find((e) => !empty.has(e.code ?? ""));
      const nxdomain = failures.length === 3 && failures.every((e) => e.code === "ENOTFOUND");
      return {
        A: list(a),
        AAAA: list(aaaa),
        CNAME: list(cname),
        error: hard
          ? `DNS lookup failed: ${hard.code ?? hard.message}`
          : nxdomain
            ? `${name} does not exist (NXDOMAIN)`
            : null,
      };
    },
    async address(name) {
      const family = isIP(name);
      if (family) return { address: name, family: family as 4 | 6 };
      const v4 = await records("A", name);
      if (Array.isArray(v4) && v4.length) return { address: v4[0]!, family: 4 };
      const v6 = await records("AAAA", name);
      if (Array.isArray(v6) && v6.length) return { address: v6[0]!, family: 6 };
      const error = Array.isArray(v4) ? (Array.isArray(v6) ? undefined : v6) : v4;
      throw Object.assign(new Error(`${name} has no A or AAAA record${error ? ` (${error.code})` : ""}`), {
        code: error?.code ?? "ENODATA",
      });
    },
  };
}
