import { describe, expect, it } from "vitest";
import { confirmation } from "./confirm.ts";
import { createIntentRecognizer } from "./index.ts";
import { homelabInventory } from "./test-inventory.ts";

const recognize = createIntentRecognizer();
const ctx = { inventory: homelabInventory(), now: new Date(2026, 10, 26, 10, 0, 0) };
const plan = (text: string) => {
  const match = recognize(text, ctx);
  return match ? match.intent.plan(match.slots, ctx) : undefined;
};

describe("the local intent engine", () => {
  it.each([
    ["restart plex", "docker_restart_container", { container: "plex" }],
    ["Bounce the Plex container please", "docker_restart_container", { container: "plex" }],
    ["restart sonar", "docker_restart_container", { container: "sonarr" }],
    ["stop radarr on local", "docker_stop_container", { container: "radarr", host: "local" }],
    ["start minio", "docker_start_container", { container: "minio" }],
    [
      "show me the logs of uptime kuma from the last 2 hours",
      "docker_container_logs",
      { container: "uptime-kuma", since: "2h" },
    ],
    ["how is nextcloud doing", "docker_inspect_container", { container: "nextcloud" }],
    ["what's in the media stack", "docker_list_containers", { stack: "media" }],
    ["prune dangling images", "docker_prune", { what: "images" }],
    ["how full is the media disk", "storage_disk_usage", {}],
    ["what is eating /srv/media", "storage_dir_size", { path: "/srv/media" }],
    [
      "turn off the kitchen lights",
      "ha_call_service",
      { domain: "light", service: "turn_off", entity_id: "light.kitchen" },
    ],
    [
      "switch on the coffee maker",
      "ha_call_service",
      { domain: "switch", service: "turn_on", entity_id: "switch.coffee_maker" },
    ],
    [
      "unlock the front door",
      "ha_call_service",
      { domain: "lock", service: "unlock", entity_id: "lock.front_door" },
    ],
    [
      "set the hallway thermostat to 21 degrees",
      "ha_call_service",
      { service: "set_temperature", data: { temperature: 21 } },
    ],
    [
      "dim the bedroom light to 30%",
      "ha_call_service",
      { domain: "light", service: "turn_on", entity_id: "light.bedroom", data: { brightness_pct: 30 } },
    ],
    [
      "lights off in the living room",
      "ha_call_service",
      { domain: "light", service: "turn_off", entity_id: "light.living_room" },
    ],
    [
      "pause the living room tv",
      "ha_call_service",
      { domain: "media_player", service: "media_pause", entity_id: "media_player.living_room_tv" },
    ],
    [
      "import /srv/Downloads/Show.S01E01 into plex",
      "plex_import_media",
      { source: "/srv/Downloads/Show.S01E01" },
    ],
    ["remember that the NAS is only on from 8am", "memory_remember", { text: "the NAS is only on from 8am" }],
    ["deploy a mariadb database called Kuma-DB", "deploy_app", { template: "mariadb", name: "kuma-db" }],
    ["how hot is the cpu running", "system_info", {}],
    ["which kernel is the server on", "system_info", {}],
    ["is anything critical going on", "incidents_list", {}],
    ["show every incident, including the closed ones", "incidents_list", { status: "all" }],
    [
      "was the front door opened in the last hour",
      "ha_history",
      { entity_id: "binary_sensor.front_door_contact", hours: 1 },
    ],
    ["back up the nextcloud database now", "db_backup", { database: "nextcloud" }],
    [
      "back up analytics-db first, then delete it with its data",
      "deploy_remove_app",
      { name: "analytics-db", keep_data: false, backup_first: true },
    ],
    [
      "restore the nextcloud database into nextcloud_copy",
      "db_restore",
      { database: "nextcloud", backup: "latest", target: "nextcloud_copy" },
    ],
    [
      "restore the jarvis db from snapshot 3e9a1c7f",
      "db_restore",
      { database: "jarvis", backup: "3e9a1c7f" },
    ],
    ["verify the media config backup", "backup_verify", { job: "media-config" }],
    ["scan the tv shows library", "plex_scan_library", { library: "TV Shows" }],
    ["unpair living-room-shield", "sunshine_unpair_client", { client: "living-room-shield" }],
    ["when does the certificate for example.org expire", "net_check_domain", { domain: "example.org" }],
    ["when dose the cert for exmaple.org run out", "net_check_domain", { domain: "example.org" }],
    ["is shop.example.net up", "net_check_domain", { domain: "shop.example.net" }],
    ["what does media.example.org resolve to", "net_check_domain", { domain: "media.example.org" }],
    ["which domains are you monitoring", "net_list_domains", {}],
    ["spin up a postgres called analytics-2", "deploy_app", { template: "postgres", name: "analytics-2" }],
    ["remember that the NAS sleeps at midnight", "memory_remember", { text: "the NAS sleeps at midnight" }],
    [
      "what's on my calendar tomorrow",
      "calendar_list_events",
      { from: new Date(2026, 10, 27).toISOString(), to: new Date(2026, 10, 28).toISOString() },
    ],
    [
      "add a backup window Saturday 2–4 am",
      "calendar_create_event",
      {
        title: "backup window",
        start: new Date(2026, 10, 28, 2).toISOString(),
        end: new Date(2026, 10, 28, 4).toISOString(),
      },
    ],
    [
      "schedule server maintenance tomorrow from 10 to 1 pm",
      "calendar_create_event",
      {
        title: "server maintenance",
        start: new Date(2026, 10, 27, 10).toISOString(),
        end: new Date(2026, 10, 27, 13).toISOString(),
      },
    ],
    ["any mail from my ISP this week", "gmail_search", { query: "ISP newer_than:7d" }],
    ["any emails from sam today", "gmail_search", { query: "from:sam newer_than:1d" }],
    [
      "add lunch with Sam tomorrow at 12:30 to my calendar",
      "calendar_create_event",
      { title: "lunch with Sam", start: new Date(2026, 10, 27, 12, 30).toISOString() },
    ],
    [
      "schedule server maintenance tomorrow at 9 for two hours",
      "calendar_create_event",
      { title: "server maintenance", start: new Date(2026, 10, 27, 9).toISOString(), duration: 120 },
    ],
    ["what did Sam say about dinner?", "gmail_search", { query: "from:Sam dinner" }],
    ["what's in my Homelab folder on drive?", "drive_list", { folder: "Homelab" }],
    ["send the backup report to me", "backup_list", {}],
    ["upload last night's backup report to Drive", "backup_list", {}],
    [
      "take a note that the printer lives in the attic",
      "memory_remember",
      { text: "the printer lives in the attic" },
    ],
    ["what are my rules about the garage", "memory_recall", { query: "the garage" }],
    ["remove memory mem_40, no longer true", "memory_forget", { id: "mem_40" }],
    [
      "spin up a fresh redis for sonarr and call it cache-1",
      "deploy_app",
      { template: "redis", name: "cache-1" },
    ],
    ["which one-click templates can i deploy", "deploy_list_templates", {}],
    ["what did you deploy already", "deploy_list_apps", {}],
    ["retry the nas-photos job", "backup_run", { job: "nas-photos" }],
    ["whats the story of incident 7", "incident_get", { id: "7" }],
    ["open the front door lock now", "ha_call_service", { domain: "lock", service: "unlock" }],
    [
      "unlock the front door for the plumber",
      "ha_call_service",
      { service: "unlock", entity_id: "lock.front_door" },
    ],
    ["clsoe the garage door", "ha_call_service", { service: "close_cover", entity_id: "cover.garage_door" }],
    ["prune the dangling imgaes", "docker_prune", { what: "images" }],
    ["delete all exited containers", "docker_prune", { what: "containers" }],
    ["restart teh radarr container", "docker_restart_container", { container: "radarr" }],
    ["how do i want the backups scheduled", "memory_recall", { query: "the backups scheduled" }],
    ["why did the media-config backup fail and how can i fix it", "backup_list", { job: "media-config" }],
    ["where's the insurance spreadsheet", "drive_list", { query: "insurance" }],
    ["is sonarr healthy now", "docker_inspect_container", { container: "sonarr" }],
    [
      "schedule call with mum saturdy 5pm",
      "calendar_create_event",
      { title: "call with mum", start: new Date(2026, 10, 28, 17).toISOString() },
    ],
  ])("%s → %s", (text, tool, args) => {
    const calls = plan(text);
    expect(calls?.[0]?.tool).toBe(tool);
    expect(calls?.[0]?.args).toMatchObject(args);
  });

  it("plans two steps for 'is anything unhealthy and why'", () => {
    const match = recognize("is anything unhealthy and why?", ctx)!;
    expect(match.intent.plan(match.slots, ctx)).toEqual([{ tool: "docker_list_containers", args: {} }]);
    const listed = {
      tool: "docker_list_containers",
      args: {},
      output: {
        containers: [
          { name: "uptime-kuma", state: "running", health: "unhealthy", host: "local" },
          { name: "plex", state: "running", health: "healthy" },
        ],
      },
    };
    expect(match.intent.next?.(match.slots, [listed], ctx)).toEqual([
      { tool: "docker_container_logs", args: { container: "uptime-kuma", tail: 50, host: "local" } },
    ]);
    const logs = {
      tool: "docker_container_logs",
      args: { container: "uptime-kuma" },
      output: { lines: [{ text: "connect ECONNREFUSED 127.0.0.1:3306" }] },
    };
    expect(match.intent.answer(match.slots, [listed, logs], ctx)).toMatch(
      /Unhealthy: uptime-kuma.*ECONNREFUSED/,
    );
  });

  it("mails the backup report after reading the backups, and uploads it as a file", () => {
    const listed = {
      tool: "backup_list",
      args: {},
      output: {
        jobs: [
          { job: "media-config", lastRun: { status: "succeeded", finishedAt: "2026-11-26T03:14:00Z" } },
          {
            job: "nas-photos",
            lastRun: { status: "failed", startedAt: "2026-11-25T23:30:00Z", error: "repository is locked" },
            lastSuccess: "2026-11-24T23:40:00Z",
          },
        ],
      },
    };
    const send = recognize("send the backup report to me", ctx)!;
    const [mail] = send.intent.next!(send.slots, [listed], ctx)!;
    expect(mail).toMatchObject({
      tool: "gmail_send",
      args: { to: "me", subject: "Backup report 2026-11-26" },
    });
    expect(mail!.args.body).toContain(
      "- nas-photos: failed at 2026-11-25T23:30:00Z (last success: 2026-11-24T23:40:00Z)",
    );
    expect(mail!.args.body).toContain("  error: repository is locked");
    expect(send.intent.answer(send.slots, [listed, { tool: "gmail_send", args: {}, output: {} }], ctx)).toBe(
      "Sent the backup report to you.",
    );

    const upload = recognize("upload last night's backup report to Drive", ctx)!;
    const [file] = upload.intent.next!(upload.slots, [listed], ctx)!;
    expect(file).toMatchObject({ tool: "drive_upload", args: { name: "backup-report-2026-11-26.txt" } });
    expect(file!.args.content).toContain("- media-config: succeeded at 2026-11-26T03:14:00Z");
    const failed = { tool: "backup_list", args: {}, error: "Backups are not set up" };
    expect(upload.intent.next!(upload.slots, [failed], ctx)).toBeUndefined();
  });

  it("does not guess at what it does not know", () => {
    for (const text of [
      "tell me a joke",
      "what is the meaning of life",
      "restart the universe",
      "order a pizza",
      "",
    ]) {
      expect(recognize(text, ctx), text).toBeUndefined();
    }
  });

  it("is confident about exact names and less about fuzzy ones", () => {
    expect(recognize("restart plex", ctx)!.confidence).toBeGreaterThan(
      recognize("restart plx", ctx)!.confidence,
    );
  });

  it("tells confirmations from new requests", () => {
    expect(confirmation("Yes")).toBe("approve");
    expect(confirmation("do it")).toBe("approve");
    expect(confirmation("no, cancel")).toBe("deny");
    expect(confirmation("yes restart radarr too")).toBeUndefined();
  });
});
