import type { Clients } from "../../tools/clients.ts";
import { emptyInventory, type Inventory, type InventorySource } from "./inventory.ts";

/**
 * The inventory read from the configured systems (Docker hosts and containers, Plex libraries,
 * Sunshine apps and clients, backup jobs, databases, NAS devices, and Home Assistant's live entity
 * cache), cached for a few seconds so a burst of commands costs one listing. A system that is down
 * contributes nothing, never an error.
 */
export function createLiveInventory(clients: Clients, ttlMs = 10_000): InventorySource {
  let cached: { at: number; value: Promise<Inventory> } | undefined;
  async function read(): Promise<Inventory> {
    const inventory = emptyInventory();
    inventory.hosts = clients.docker.hosts.map((h) => h.name);
    inventory.domains = clients.network?.domains.map((d) => d.domain) ?? [];
    const plex = clients.plex;
    const libraries = plex
      ? plex.sections().then(
          (sections) => sections.map((s) => s.title),
          () => [],
        )
      : Promise.resolve([]);
    inventory.backupJobs = clients.backups?.jobs.map((j) => j.name) ?? [];
    inventory.databases = clients.backups?.databases.map((d) => d.name) ?? [];
    inventory.nasDevices = clients.nas?.devices.map((d) => d.name) ?? [];
    const ha = clients.homeassistant;
    if (ha?.status().ok) {
      inventory.entities = ha.entities().map(({ entity_id, name, area }) => ({ entity_id, name, area }));
      // Floors ("downstairs") are places too: ha_call_service's area takes either.
      inventory.areas = [...ha.areas(), ...ha.floors().map((f) => f.name)];
    }
    await Promise.all(
      clients.docker.hosts.map(async (host) => {
        const list = await host.docker.listContainers({ all: true }).catch(() => []);
        for (const c of list) {
          const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
          const stack = c.Labels?.["com.docker.compose.project"];
          inventory.containers.push({ name, host: host.name, stack, state: c.State });
          if (stack && !inventory.stacks.includes(stack)) inventory.stacks.push(stack);
        }
      }),
    );
    inventory.plexLibraries = await libraries;
    const sunshine = clients.sunshine;
    if (sunshine) {
      inventory.sunshineHosts = [sunshine.name];
      const [apps, paired] = await Promise.all([
        sunshine.apps().catch(() => []),
        sunshine.clients().catch(() => []),
      ]);
      inventory.sunshineApps = apps.map((a) => a.name);
      inventory.sunshineClients = paired.map((c) => c.name);
    }
    return inventory;
  }
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) cached = { at: Date.now(), value: read() };
    return cached.value;
  };
}
