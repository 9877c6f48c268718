import { viewApproval } from "../../agent/approvals.ts";
import type { Jarvis } from "../../jarvis.ts";
import type { Principal } from "../../tools/define-tool.ts";
import { viewIncident } from "../../tools/incidents/view.ts";

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

const recentIncidents: McpResource = {
  uri: "jarvis://incidents/recent",
  name: "recent-incidents",
  title: "Recent incidents",
  description:
    "Open incidents and the 20 most recent ones: alert, status, target, runbook, attempts and outcome (incident_get has the timeline).",
  read: async (jarvis) => {
    const [open, recent] = await Promise.all([
      jarvis.incidents.store.list({ open: true, limit: 100 }),
      jarvis.incidents.store.list({ limit: 20 }),
    ]);
    return { open: open.map(viewIncident), recent: recent.map(viewIncident) };
  },
};

const memories: McpResource = {
  uri: "jarvis://memories",
  name: "memories",
  title: "Memories",
  description:
    "The 50 most recently updated memories Jarvis keeps (facts, preferences, incident outcomes, runbook notes), valid ones only; memory_recall searches them all.",
  read: async (jarvis) => {
    const { memories, total } = await jarvis.memory.list({ limit: 50 });
    return { total, memories };
  },
};

/** The resources every MCP session offers (read-only). Adding one is one entry here. */
export const mcpResources: readonly McpResource[] = [pendingApprovals, recentIncidents, memories];
