import { z } from "zod";
import { standIn } from "./stand-in.ts";

/** Stand-ins for the network toolset: domains, DNS, HTTP and certificates. */
export const networkTools = [
  standIn({
    name: "net_list_domains",
    title: "List domains",
    description:
      "Lists the domains Jarvis watches with their last check: HTTP status, latency and certificate expiry.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "net_check_domain",
    title: "Check domain",
    description:
      "Checks a domain now: DNS records, HTTP status and latency, and the TLS certificate (issuer, days until it expires).",
    input: z.strictObject({
      domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "a domain name like example.org"),
    }),
    risk: "read",
    target: (input) => input.domain,
  }),
];
