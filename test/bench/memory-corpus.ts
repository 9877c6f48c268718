/** A deterministic homelab-like corpus for the memory bench: seeded, so every run stores the same text. */

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hosts = [
  "nas326",
  "nas-box",
  "pi",
  "gaming-pc",
  "proxmox",
  "router",
  "mini-pc",
  "backup-box",
  "nuc",
  "vps",
];
const services = [
  "plex",
  "sonarr",
  "radarr",
  "lidarr",
  "prowlarr",
  "jellyfin",
  "homeassistant",
  "nextcloud",
  "immich",
  "paperless",
  "uptime-kuma",
  "grafana",
  "prometheus",
  "loki",
  "traefik",
  "nginx-proxy",
  "pihole",
  "adguard",
  "vaultwarden",
  "gitea",
  "postgres",
  "mariadb",
  "redis",
  "minio",
  "syncthing",
  "frigate",
  "mosquitto",
  "zigbee2mqtt",
  "node-red",
  "wireguard",
  "tailscale",
  "portainer",
  "watchtower",
  "restic",
  "borg",
  "duplicati",
  "qbittorrent",
  "sabnzbd",
];
const problems = [
  "ran out of disk space",
  "crashed with an out of memory error",
  "lost its database connection",
  "failed its health check",
  "stopped after a kernel update",
  "could not renew its certificate",
  "filled the log partition",
  "hung during a backup",
  "restarted in a loop",
  "lost its network after a reboot",
  "could not reach the NAS share",
  "timed out talking to the DNS server",
  "corrupted its SQLite database",
];
const fixes = [
  "pruning old images",
  "raising the memory limit to 2 GB",
  "restarting the container",
  "remounting the NFS share",
  "rotating the logs",
  "renewing the certificate by hand",
  "moving the data to the SSD",
  "pinning the image version",
  "restoring last night's snapshot",
  "changing the DNS server to 1.1.1.1",
  "rebooting the host",
  "running a VACUUM",
];
const preferences = [
  "restarts of the media stack should happen after 23:00",
  "updates are applied on Sunday mornings",
  "notifications go to the phone, not email",
  "backups must finish before 06:00",
  "nothing on the NAS restarts while someone is streaming",
  "the gaming pc is only on in the evenings",
];
const facts = [
  (h: string, s: string, n: number) => `${s} runs on ${h} and listens on port ${8000 + (n % 1000)}`,
  (h: string, s: string, n: number) =>
    `${s} keeps its data under /srv/${s}/data on ${h}, about ${n % 900} GB`,
  (h: string, s: string, n: number) =>
    `the ${s} container on ${h} uses image version ${1 + (n % 9)}.${n % 20}.${n % 7}`,
  (h: string, _s: string, n: number) => `${h} has ${4 << (n % 4)} GB of RAM and ${1 + (n % 8)} disks`,
  (h: string, s: string, n: number) =>
    `backups of ${s} on ${h} go to the ${n % 2 ? "nas326" : "backup-box"} at ${n % 24}:00`,
  (h: string, _s: string, n: number) => `${h} has the IP address 192.168.${n % 5}.${10 + (n % 240)}`,
];

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** One memory: a fact, an incident with its fix, or a preference. */
export function sentence(
  rand: () => number,
  n: number,
): { text: string; kind: "fact" | "incident" | "preference" } {
  const host = pick(rand, hosts);
  const service = pick(rand, services);
  const roll = rand();
  if (roll < 0.55) return { text: pick(rand, facts)(host, service, n), kind: "fact" };
  if (roll < 0.92) {
    const when = `${1 + (n % 28)} ${pick(rand, ["January", "March", "May", "July", "September", "November"])}`;
    return {
      text: `on ${when} ${service} on ${host} ${pick(rand, problems)}; fixed by ${pick(rand, fixes)}`,
      kind: "incident",
    };
  }
  return { text: `${pick(rand, preferences)} (for ${service} on ${host})`, kind: "preference" };
}

/** `size` memories, the same for the same seed. */
export function corpus(size: number, seed = 42) {
  const rand = prng(seed);
  return Array.from({ length: size }, (_, n) => sentence(rand, n));
}

/** Questions in the corpus's vocabulary. */
export function queries(count: number, seed = 7): string[] {
  const rand = prng(seed);
  const shapes = [
    () => `why did ${pick(rand, services)} on ${pick(rand, hosts)} fail?`,
    () => `what port does ${pick(rand, services)} listen on`,
    () => `where does ${pick(rand, services)} keep its data`,
    () => `how did we fix ${pick(rand, services)} when it ${pick(rand, problems)}`,
    () => `what is the IP address of ${pick(rand, hosts)}`,
    () => `when do backups of ${pick(rand, services)} run`,
    () => `when should the media stack restart`,
  ];
  return Array.from({ length: count }, () => pick(rand, shapes)());
}
