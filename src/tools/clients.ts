import type { DockerClients } from "./docker/client.ts";

/** The external-system clients tools use, built once in main from config and injected. */
export interface Clients {
  docker: DockerClients;
}
