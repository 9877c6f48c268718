import type { ApprovalView } from "../agent/approvals.ts";
import type { ToolInfo } from "../tools/describe.ts";

/** A plain text table: columns padded to the widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function formatTools(tools: ToolInfo[]): string {
  return table(
    ["NAME", "RISK", "TITLE"],
    tools.map((t) => [t.name, t.risk, t.title]),
  );
}

export function formatApprovals(approvals: ApprovalView[]): string {
  if (approvals.length === 0) return "No approvals.";
  return table(
    ["ID", "STATUS", "TOOL", "TARGET", "REQUESTER", "EXPIRES"],
    approvals.map((a) => [a.id, a.status, a.tool, a.target ?? "-", a.requester, a.expiresAt]),
  );
}
