import type { MemoryStore } from "../memory/store.ts";
import { redactText } from "../redact.ts";
import type { IncidentMemory } from "./memory.ts";
import type { IncidentRow, IncidentStore } from "./store.ts";

/** Where an incident happened, as a memory scope: the container, else the host, else global. */
function scopeOf(incident: IncidentRow): string {
  if (incident.targetContainer) return `service:${incident.targetContainer}`;
  if (incident.targetHost) return `host:${incident.targetHost}`;
  return "global";
}

/** The words a similar alert would share: its title, alert name and target. */
function queryOf(incident: IncidentRow): string {
  const labels = (incident.labels ?? {}) as Record<string, string>;
  return [incident.title, labels.alertname, incident.targetContainer, incident.runbook]
    .filter(Boolean)
    .join(" ");
}

/**
 * Incidents' long-term memory on the memory store: each resolved or escalated incident leaves one
 * `incident` memory (what was wrong, what was done, how it ended), scoped to its container or host
 * and sourced to the incident; the next similar alert recalls those (and runbook notes) into its
 * timeline and the model's diagnosis. Texts are redacted; the store consolidates repeats.
 */
export function createIncidentMemory(deps: { memory: MemoryStore; store: IncidentStore }): IncidentMemory {
  return {
    async recallSimilar(incident) {
      const found = await deps.memory.recall({
        query: queryOf(incident),
        kinds: ["incident", "runbook"],
        limit: 3,
      });
      return found.filter((m) => m.source?.id !== incident.id).map((m) => m.text);
    },

    async rememberOutcome(incident) {
      const events = await deps.store.events(incident.id);
      const actions = [
        ...new Set(
          events
            .filter((e) => e.kind === "tool_call")
            .map((e) => {
              const data = e.data as { tool?: string; error?: unknown };
              return data.error ? `${data.tool} (failed)` : data.tool;
            })
            .filter(Boolean),
        ),
      ];
      const where = [incident.targetHost, incident.targetContainer].filter(Boolean).join("/");
      const text = [
        `Incident "${incident.title}"${where ? ` on ${where}` : ""} was ${incident.status}.`,
        actions.length ? `Actions: ${actions.join(", ")}.` : "No action was taken.",
        incident.summary ?? "",
      ]
        .join(" ")
        .trim();
      await deps.memory.remember({
        text: redactText(text).text,
        kind: "incident",
        scope: scopeOf(incident),
        source: { type: "incident", id: incident.id },
      });
    },
  };
}
