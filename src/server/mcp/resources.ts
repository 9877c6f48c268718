import { viewApproval } from "../../agent/approvals.ts";
import type { Jarvis } from "../../jarvis.ts";
import type { Principal } from "../../tools/define-tool.ts";

/** A read-only MCP resource: a fixed URI whose JSON is read fresh on every resources/read. */
export interface McpResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  read(jarvis: Jarvis, principal: Principal): Promise<unknown>;
}

const pendingApprovals: McpResource = {
  uri: "jarvis://approvals/pending",
  name: "pending-approvals",
  title: "Pending approvals",
  description: "Tool calls waiting for a person to approve or deny them (tool, target, arguments, expiry).",
  read: async (jarvis) => ({
    approvals: (await jarvis.approvals.list({ status: "pending" })).map(viewApproval),
  }),
};

/**
 * The resources every MCP session offers. Adding one is one entry here (memories and recent
 * incidents register here when those features land: `jarvis://memories`, `jarvis://incidents/recent`).
 */
export const mcpResources: readonly McpResource[] = [pendingApprovals];
