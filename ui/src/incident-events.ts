import { argsLine } from "./format.ts";
import type { IncidentEvent } from "./types.ts";

/** A timeline step in words: a heading, an optional line of detail and optional items (recalled memories). */
export interface EventView {
  label: string;
  title: string;
  detail?: string;
  items?: string[];
  tone: "ok" | "bad" | "warn" | "busy";
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const errorOf = (v: unknown) =>
  v && typeof v === "object" ? str((v as { message?: unknown }).message) : str(v);
const statusWord = (s: unknown) => String(s ?? "").replace(/_/g, " ");
const on = (target: unknown) => (str(target) ? ` on ${target}` : "");

/**
 * Describes one event of `GET /api/incidents/:id`'s timeline (written by src/incidents/) for
 * people. Everything returned is plain text: the view renders it escaped.
 */
export function describeEvent(event: IncidentEvent): EventView {
  const e = event as Record<string, unknown>;
  switch (event.kind) {
    case "alert": {
      const labels = (e.labels ?? {}) as Record<string, string>;
      return e.status === "resolved"
        ? { label: "Alert", title: "The alert resolved", tone: "ok" }
        : {
            label: "Alert",
            title: `Alert firing${str(e.source) ? ` (${e.source})` : ""}`,
            detail: argsLine(labels),
            tone: "warn",
          };
    }
    case "evidence": {
      const step = e.step === "verify" ? "Verification" : `Evidence ${str(e.step) ?? ""}`.trim();
      if (e.error)
        return {
          label: "Evidence",
          title: `${step}: ${e.tool} failed`,
          detail: errorOf(e.error),
          tone: "bad",
        };
      if (e.approval)
        return {
          label: "Evidence",
          title: `${step}: ${e.tool} needs approval`,
          detail: `approval ${e.approval}`,
          tone: "warn",
        };
      if (e.step === "verify")
        return {
          label: "Evidence",
          title: e.verified ? "Verified: the fix holds" : "Verification failed",
          detail: str(e.tool),
          tone: e.verified ? "ok" : "bad",
        };
      return { label: "Evidence", title: `${step}: ${e.tool}`, detail: argsLine(e.args), tone: "busy" };
    }
    case "decision":
      return e.tool
        ? {
            label: "Decision",
            title: `Decided: ${e.tool}${e.attempt ? ` (attempt ${e.attempt})` : ""}`,
            detail: [argsLine(e.args), str(e.reason)].filter(Boolean).join(" · "),
            tone: "busy",
          }
        : {
            label: "Decision",
            title: `No action: ${e.why ?? "nothing applies"}`,
            detail: str(e.target),
            tone: "warn",
          };
    case "tool_call":
      if (e.error)
        return {
          label: "Tool call",
          title: `${e.tool}${on(e.target)} failed`,
          detail: errorOf(e.error),
          tone: "bad",
        };
      return {
        label: "Tool call",
        title: `Ran ${e.tool}${on(e.target)}`,
        detail: e.automatic
          ? "automatically, as policy allows"
          : e.approved
            ? "after approval"
            : str(e.outcome),
        tone: "ok",
      };
    case "approval":
      return e.status === "requested"
        ? {
            label: "Approval",
            title: `Approval requested${e.tool ? ` for ${e.tool}${on(e.target)}` : ""}`,
            detail: str(e.approval),
            tone: "warn",
          }
        : {
            label: "Approval",
            title: `Approval ${statusWord(e.status)}${e.by ? ` by ${e.by}` : ""}`,
            detail: str(e.approval),
            tone: e.status === "approved" ? "ok" : "bad",
          };
    case "note":
      if (e.acknowledged)
        return { label: "Note", title: `Acknowledged by ${e.acknowledged}`, detail: str(e.note), tone: "ok" };
      if (Array.isArray(e.recalled))
        return {
          label: "Memory",
          title: `Recalled ${e.recalled.length} similar past incident${e.recalled.length === 1 ? "" : "s"}`,
          items: e.recalled.map(String),
          tone: "busy",
        };
      if ("diagnosis" in e)
        return e.diagnosis
          ? { label: "Diagnosis", title: "The model's diagnosis", detail: String(e.diagnosis), tone: "busy" }
          : { label: "Diagnosis", title: "No diagnosis from the model", detail: str(e.error), tone: "warn" };
      if (e.resumed)
        return {
          label: "Note",
          title: `Resumed after a restart (was ${statusWord(e.resumed)})`,
          tone: "busy",
        };
      if (e.error)
        return { label: "Note", title: "The remediation loop failed", detail: str(e.error), tone: "bad" };
      return { label: "Note", title: str(e.note) ?? "Note", tone: "busy" };
    case "status": {
      const to = statusWord(e.to);
      return {
        label: "Status",
        title: `${statusWord(e.from)} → ${to}${e.by ? ` by ${e.by}` : ""}`,
        detail: str(e.summary) ?? str(e.note),
        tone: e.to === "resolved" ? "ok" : e.to === "escalated" || e.to === "failed" ? "bad" : "busy",
      };
    }
    default:
      return { label: event.kind, title: event.kind, tone: "busy" };
  }
}

/** Status tone for badges: closed well, needs a person, or in progress. */
export function statusTone(status: string): "ok" | "bad" | "warn" | "busy" {
  if (status === "resolved") return "ok";
  if (status === "escalated" || status === "failed") return "bad";
  if (status === "awaiting_approval" || status === "open") return "warn";
  return "busy";
}
