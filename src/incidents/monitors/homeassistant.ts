import type { Config } from "../../config.ts";
import type { Logger } from "../../log.ts";
import type { HaEntity } from "../../tools/homeassistant/cache.ts";
import type { HomeAssistantClient } from "../../tools/homeassistant/client.ts";
import type { Alert } from "../alert.ts";

type Condition = Config["homeassistant"]["alerts"][number];

/** The alert for one entity state: firing while the state is one of the condition's, resolved after. */
export function entityAlert(condition: Condition, entity: HaEntity): Alert {
  const bad = [condition.state].flat().includes(entity.state);
  return {
    source: "homeassistant",
    fingerprint: `homeassistant:${condition.entity_id}`,
    status: bad ? "firing" : "resolved",
    labels: {
      alertname: "HomeAssistantEntityState",
      entity_id: condition.entity_id,
      severity: condition.severity,
    },
    annotations: {
      summary: condition.title ?? `${entity.name} is ${entity.state}`,
      state: entity.state,
    },
    startsAt: new Date(),
  };
}

/**
 * Home Assistant as an alert source: configured entity conditions open incidents when an entity
 * enters a bad state and resolve them when it leaves it (reported on change, not on every event).
 * A monitor that starts (the first, or one taking the stream over from another process) compares
 * each entity's current state with the incidents open: Home Assistant does not replay what changed
 * while nobody listened, so an entity that went bad meanwhile opens its incident now, and one that
 * recovered resolves the incident left open, while one still bad is not counted again.
 */
export function startHomeAssistantMonitor(deps: {
  client: HomeAssistantClient;
  conditions: readonly Condition[];
  ingest: (alerts: Alert[]) => Promise<unknown>;
  /** Whether an incident is open for an alert fingerprint. */
  isOpen: (fingerprint: string) => Promise<boolean>;
  log: Logger;
}): { stop(): void } {
  const byEntity = new Map(deps.conditions.map((c) => [c.entity_id, c]));
  const last = new Map<string, Alert["status"]>();
  // One state at a time, in order: a first look may wait on the database.
  let queue = Promise.resolve();
  const seen = (entity: HaEntity) => {
    const condition = byEntity.get(entity.entity_id);
    if (!condition) return;
    queue = queue
      .then(async () => {
        const alert = entityAlert(condition, entity);
        const before =
          last.get(entity.entity_id) ?? ((await deps.isOpen(alert.fingerprint)) ? "firing" : "resolved");
        last.set(entity.entity_id, alert.status);
        if (before !== alert.status) await deps.ingest([alert]);
      })
      .catch((error) => deps.log.warn("Home Assistant alert not ingested", { error }));
  };
  const stop = deps.client.onStateChange(seen);
  for (const condition of deps.conditions) {
    const entity = deps.client.entity(condition.entity_id);
    if (entity) seen(entity);
  }
  return { stop };
}
