import type { IncidentRow } from "./store.ts";

/**
 * What the incident loop wants from memory, injected so incidents work without it: recall what
 * fixed similar incidents before, and remember how this one ended. Absent means no-op.
 */
export interface IncidentMemory {
  /** Short notes about similar past incidents, most relevant first. */
  recallSimilar(incident: IncidentRow): Promise<string[]>;
  /** Called once when an incident resolves or escalates. */
  rememberOutcome(incident: IncidentRow): Promise<void>;
}
