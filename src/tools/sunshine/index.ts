import type { Tool } from "../define-tool.ts";
import { closeApp } from "./close-app.ts";
import { listApps } from "./list-apps.ts";
import { listClients } from "./list-clients.ts";
import { pairClient } from "./pair-client.ts";
import { sunshineStatus } from "./status.ts";
import { unpairClient } from "./unpair-client.ts";

/** The Sunshine toolset, in catalog order: reads, then writes, then destructive calls. */
export const sunshineTools: Tool[] = [
  sunshineStatus,
  listApps,
  listClients,
  pairClient,
  closeApp,
  unpairClient,
];
