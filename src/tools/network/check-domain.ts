import { defineTool } from "../define-tool.ts";
import { networkClient } from "./network-client.ts";
import { CheckDomainInput } from "./schemas.ts";

/** net_check_domain: DNS, HTTPS status and latency, and the certificate of any domain, now. */
export const checkDomainTool = defineTool({
  name: "net_check_domain",
  title: "Check domain",
  description:
    "Checks a domain now: its A/AAAA/CNAME records, the HTTPS answer (status, latency, redirects followed) and the TLS certificate (issuer, names, days until it expires, whether the chain verifies and the hostname matches). `problems` lists what is wrong in plain words; a site that is down is a result, not an error. Give port or path only when the site is not at https://<domain>/.",
  input: CheckDomainInput,
  risk: "read",
  idempotent: true,
  openWorld: true,
  target: (input) => input.domain,
  async run(input, ctx) {
    const network = networkClient(ctx);
    const watched = network.domains.find((d) => d.domain === input.domain);
    const check = await network.check(
      { domain: input.domain, port: input.port ?? watched?.port, path: input.path ?? watched?.path },
      ctx.signal,
    );
    await network.store?.record(check).catch((error) => ctx.log.warn("domain check not stored", { error }));
    return check;
  },
});
