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
 */
export function startHomeAssistantMonitor(deps: {
  client: HomeAssistantClient;
  conditions: readonly Condition[];
  ingest: (alerts: Alert[]) => Promise<unknown>;
  log: Logger;
}): { stop(): void } {
  const byEntity = new Map(deps.conditions.map((c) => [c.entity_id, c]));
  const last = new Map<string, Alert["status"]>();
  const stop = deps.client.onStateChange((entity) => {
    const condition = byEntity.get(entity.entity_id);
    if (!condition) return;
    const alert = entityAlert(condition, entity);
    const before = last.get(entity.entity_id);
    last.set(entity.entity_id, alert.status);
    if (before === alert.status || (before === undefined && alert.status === "resolved")) return;
    deps.ingest([alert]).catch((error) => deps.log.warn("Home Assistant alert not ingested", { error }));
  });
  return { stop };
}
