import type { IncidentStore } from "../incidents/store.ts";
import type { MemoryStore } from "../memory/store.ts";
import type { DockerClients } from "./docker/client.ts";
import type { HomeAssistantClient } from "./homeassistant/client.ts";

/** The external-system clients tools use, built once in main from config and injected. */
export interface Clients {
  docker: DockerClients;
  /** The incidents tables, for the incidents_list and incident_get tools. */
  incidents?: IncidentStore;
  /** Long-term memory (built by the core from the database). */
  memory?: MemoryStore;
  /** Home Assistant, when HA_URL is configured. */
  homeassistant?: HomeAssistantClient;
}
