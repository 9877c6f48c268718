import type { IncidentStore } from "../incidents/store.ts";
import type { Jobs } from "../jobs/index.ts";
import type { MemoryStore } from "../memory/store.ts";
import type { SecretStore } from "../secrets/store.ts";
import type { BackupService } from "./backups/service.ts";
import type { DeployClient } from "./deploy/client.ts";
import type { DockerClients } from "./docker/client.ts";
import type { GoogleClient } from "./google/client.ts";
import type { HomeAssistantClient } from "./homeassistant/client.ts";
import type { MediaRoots } from "./media/roots.ts";
import type { NasClient } from "./nas/client.ts";
import type { NetworkClient } from "./network/client.ts";
import type { PlexClient } from "./plex/client.ts";
import type { StorageClient } from "./storage/client.ts";
import type { SunshineClient } from "./sunshine/client.ts";

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
  /** Plex Media Server, when PLEX_URL and PLEX_TOKEN are set. */
  plex?: PlexClient;
  /** Library roots media imports write into (and how Plex sees them). */
  media?: MediaRoots;
  /** A Sunshine game-streaming host, when SUNSHINE_URL is set. */
  sunshine?: SunshineClient;
  /** Encrypted credentials (repository, NAS and database passwords), built by the core. */
  secrets?: SecretStore;
  /** Storage roots and disk usage samples (built by the core from config and the database). */
  storage?: StorageClient;
  /** Backup jobs over restic: jarvis.yaml's and registered ones (built by the core). */
  backups?: BackupService;
  /** NAS devices over SMB (built by the core when nas.devices is configured). */
  nas?: NasClient;
  /** Google Calendar, Gmail and Drive (built by the core when GOOGLE_CLIENT_ID is set: the token is in the secret store). */
  google?: GoogleClient;
  /** Home Assistant, when HA_URL is configured. */
  homeassistant?: HomeAssistantClient;
  /** The job queue, for tools whose work runs as a job (plex_import_media); built by the core. */
  jobs?: Jobs;
  /** Where system_info reads procfs and sysfs (`/`; a fixture tree in tests). */
  system?: { root: string };
}
