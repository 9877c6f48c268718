/**
 * What the local intent engine resolves names against: the homelab's containers, entities,
 * libraries, jobs… Live, it is read from the clients (and cached briefly); in evals, it comes from
 * the world file.
 */
export interface Inventory {
  hosts: string[];
  containers: Array<{ name: string; host: string; stack?: string; state?: string; health?: string }>;
  stacks: string[];
  /** Home Assistant entities with friendly names and areas. */
  entities: Array<{ entity_id: string; name?: string; area?: string }>;
  areas: string[];
  plexLibraries: string[];
  backupJobs: string[];
  databases: string[];
  sunshineHosts: string[];
  sunshineApps: string[];
  sunshineClients: string[];
  nasDevices: string[];
  nasShares: string[];
  domains: string[];
  deployTemplates: string[];
  deployApps: string[];
}

export type InventorySource = () => Promise<Inventory>;

export function emptyInventory(): Inventory {
  return {
    hosts: [],
    containers: [],
    stacks: [],
    entities: [],
    areas: [],
    plexLibraries: [],
    backupJobs: [],
    databases: [],
    sunshineHosts: [],
    sunshineApps: [],
    sunshineClients: [],
    nasDevices: [],
    nasShares: [],
    domains: [],
    deployTemplates: [],
    deployApps: [],
  };
}
