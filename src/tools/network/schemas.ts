import { z } from "zod";

/** A domain name (letters, digits, hyphens, dots; a top-level label of letters). */
export const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z][a-z0-9-]*$/,
    "a domain name like example.org",
  );

export const CheckDomainInput = z.strictObject({
  domain: DomainName,
  /** HTTPS port when not 443 (a watched domain's configured port by default). */
  port: z.number().int().min(1).max(65535).optional(),
  /** Path to request (a watched domain's configured path, or "/"). */
  path: z.string().startsWith("/").max(2000).optional(),
});
export type CheckDomainInput = z.infer<typeof CheckDomainInput>;

export const ListDomainsInput = z.strictObject({
  /** Check every watched domain now instead of showing the last checks. */
  refresh: z.boolean().optional(),
});
export type ListDomainsInput = z.infer<typeof ListDomainsInput>;
