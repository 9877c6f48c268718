import { emptyInventory, type Inventory } from "./inventory.ts";

/** A small homelab inventory (the standard eval world's names) for the engine's unit tests. */
export function homelabInventory(): Inventory {
  const inventory = emptyInventory();
  inventory.hosts = ["local", "nas-box"];
  inventory.containers = [
    ...["plex", "sonarr", "radarr"].map((name) => ({
      name,
      host: "local",
      stack: "media",
      state: "running",
    })),
    ...["homeassistant", "jarvis-postgres", "nginx-proxy", "uptime-kuma"].map((name) => ({
      name,
      host: "local",
      state: "running",
    })),
    { name: "nextcloud", host: "local", state: "exited" },
    { name: "minio", host: "nas-box", state: "running" },
    { name: "syncthing", host: "nas-box", state: "running" },
  ];
  inventory.stacks = ["media"];
  inventory.entities = [
    { entity_id: "light.living_room", name: "Living Room Light", area: "living room" },
    { entity_id: "light.kitchen", name: "Kitchen Light", area: "kitchen" },
    { entity_id: "light.bedroom", name: "Bedroom Light", area: "bedroom" },
    { entity_id: "switch.coffee_maker", name: "Coffee Maker", area: "kitchen" },
    { entity_id: "climate.hallway", name: "Hallway Thermostat", area: "hallway" },
    { entity_id: "lock.front_door", name: "Front Door", area: "hallway" },
    { entity_id: "cover.garage_door", name: "Garage Door", area: "garage" },
    { entity_id: "sensor.outdoor_temperature", name: "Outdoor Temperature" },
    { entity_id: "media_player.living_room_tv", name: "Living Room TV", area: "living room" },
    { entity_id: "binary_sensor.front_door_contact", name: "Front Door Contact", area: "hallway" },
  ];
  inventory.areas = ["living room", "kitchen", "bedroom", "hallway", "garage"];
  inventory.plexLibraries = ["Movies", "TV Shows", "Music"];
  inventory.backupJobs = ["media-config", "nas-photos"];
  inventory.databases = ["jarvis", "nextcloud"];
  inventory.sunshineHosts = ["gaming-pc"];
  inventory.sunshineApps = ["Desktop", "Steam Big Picture", "Cyberpunk 2077"];
  inventory.sunshineClients = ["living-room-shield"];
  inventory.nasDevices = ["nas326"];
  inventory.nasShares = ["media", "backups"];
  inventory.domains = ["example.org", "media.example.org"];
  inventory.deployTemplates = ["postgres", "mariadb", "redis", "uptime-kuma"];
  inventory.deployApps = ["analytics-db"];
  return inventory;
}
