import type { IncidentStore } from "../incidents/store.ts";
import type { MemoryStore } from "../memory/store.ts";
import type { DeployClient } from "./deploy/client.ts";
import type { DockerClients } from "./docker/client.ts";
import type { NetworkClient } from "./network/client.ts";

/** The external-system clients tools use, built once in main from config and injected. */
export interface Clients {
  docker: DockerClients;
  /** The incidents tables, for the incidents_list and incident_get tools. */
  incidents?: IncidentStore;
  /** Long-term memory (built by the core from the database). */
  memory?: MemoryStore;
  /** Domains and certificates (built by the core: its last checks live in the database). */
  network?: NetworkClient;
  /** Deploy templates (apps run on the Docker hosts). */
  deploy?: DeployClient;
}
