import type { Tool } from "../define-tool.ts";
import { checkDomainTool } from "./check-domain.ts";
import { listDomains } from "./list-domains.ts";

/** The network toolset: domains, DNS, HTTPS and certificates (both read-only). */
export const networkTools: Tool[] = [listDomains, checkDomainTool];
