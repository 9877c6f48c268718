import { itemsOf, list } from "../answers.ts";

type Row = Record<string, unknown>;
const isRecord = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
const said = (status: unknown) => String(status ?? "unknown").replace(/_/g, " ");

/** One incidents_list row, spoken: its id (to ask about it next), title and status. */
function incidentLine(row: Row): string {
  return `${String(row.id)} ${String(row.title ?? "")} (${said(row.status)})`.replace(/ +/g, " ");
}

/** incidents_list, spoken: how many, and each with id, title and status. */
export function incidentList(output: unknown): string {
  const rows = itemsOf(output);
  return rows.length
    ? `${rows.length} incident${rows.length === 1 ? "" : "s"}: ${list(rows.map(incidentLine))}.`
    : "No incidents.";
}

/** The gist of a tool result kept in an evidence event: its log lines, error or message. */
function gist(result: unknown): string | undefined {
  if (!isRecord(result)) return str(result);
  const lines = itemsOf(result)
    .map((line) => str(line.text) ?? str(line.line) ?? str(line.message))
    .filter((t): t is string => Boolean(t));
  if (lines.length) return lines.slice(0, 2).join(" / ");
  return str(result.error) ?? str(result.message) ?? str(result.status);
}

/** What one timeline event adds to the story, or nothing for bookkeeping events. */
function eventLine(event: Row): string | undefined {
  switch (event.kind) {
    case "alert":
      return isRecord(event.annotations)
        ? (str(event.annotations.summary) ??
            str(event.annotations.error) ??
            str(event.annotations.description))
        : undefined;
    case "evidence": {
      const error = isRecord(event.error) ? str(event.error.message) : undefined;
      const found = error ?? gist(event.result);
      return found ? `${String(event.tool ?? "evidence")}: ${found}` : undefined;
    }
    case "decision":
      if (str(event.tool))
        return `decided on ${String(event.tool)}${str(event.reason) ? ` (${event.reason})` : ""}`;
      return str(event.why) ? `no action: ${event.why}` : undefined;
    case "approval":
      return event.status === "requested"
        ? `waiting for approval of ${String(event.tool ?? "an action")}`
        : undefined;
    case "note":
      return str(event.acknowledged)
        ? `acknowledged by ${event.acknowledged}`
        : (str(event.note) ?? str(event.error));
    default:
      return undefined;
  }
}

/**
 * incident_get, spoken: what it is, where it stands, and what the timeline found (the alert, the
 * evidence's log lines or errors, decisions, pending approvals), in order.
 */
export function incidentDetail(output: unknown): string {
  if (!isRecord(output)) return "The incident has no details.";
  const where = [str(output.severity), str(output.target)].filter(Boolean).join(", ");
  const head = `${String(output.id)}, ${String(output.title ?? "")}: ${said(output.status)}${where ? ` (${where})` : ""}.`;
  const story = itemsOf(output.timeline)
    .map(eventLine)
    .filter((line): line is string => Boolean(line));
  const summary = str(output.summary);
  const parts = [...new Set([...story, ...(summary && !story.includes(summary) ? [summary] : [])])];
  return parts.length ? `${head} ${parts.slice(0, 5).join(". ")}.` : head;
}
