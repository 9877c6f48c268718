import type { IncidentStore } from "../incidents/store.ts";
import type { MemoryStore } from "../memory/store.ts";
import type { SecretStore } from "../secrets/store.ts";
import type { BackupService } from "./backups/service.ts";
import type { DockerClients } from "./docker/client.ts";
import type { NasClient } from "./nas/client.ts";
import type { StorageClient } from "./storage/client.ts";

/** The external-system clients tools use, built once in main from config and injected. */
export interface Clients {
  docker: DockerClients;
  /** The incidents tables, for the incidents_list and incident_get tools. */
  incidents?: IncidentStore;
  /** Long-term memory (built by the core from the database). */
  memory?: MemoryStore;
  /** Encrypted credentials (repository, NAS and database passwords), built by the core. */
  secrets?: SecretStore;
  /** Storage roots and disk usage samples (built by the core from config and the database). */
  storage?: StorageClient;
  /** Backup jobs over restic (built by the core when backups.jobs or backups.databases are configured). */
  backups?: BackupService;
  /** NAS devices over SMB (built by the core when nas.devices is configured). */
  nas?: NasClient;
}
