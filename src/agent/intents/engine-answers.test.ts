import { describe, expect, it } from "vitest";
import { createIntentRecognizer } from "./index.ts";
import type { Outcome } from "./intent.ts";
import { homelabInventory } from "./test-inventory.ts";

const recognize = createIntentRecognizer();
const ctx = { inventory: homelabInventory(), now: new Date(2026, 10, 26, 10, 0, 0) };

/** Recognizes `text`, runs its plan against `outputs` (by tool name) and returns calls and answer. */
function converse(text: string, outputs: Record<string, unknown>) {
  const match = recognize(text, ctx);
  if (!match) throw new Error(`not recognized: ${text}`);
  const calls = match.intent.plan(match.slots, ctx);
  const outcomes: Outcome[] = calls.map((c) => ({ ...c, output: outputs[c.tool] }));
  return { calls, answer: match.intent.answer(match.slots, outcomes, ctx) };
}

/** nas_status as the real tool returns it (src/tools/nas/tools.ts). */
const nasUp = {
  nas: "nas326",
  host: "10.0.0.5",
  port: 445,
  reachable: true,
  shares: [
    { name: "media", comment: "", sizeBytes: 4 * 2 ** 40, freeBytes: 2 ** 40, usedPercent: 75 },
    { name: "backups", comment: "", sizeBytes: 2 * 2 ** 40, freeBytes: 2 ** 40, usedPercent: 50 },
  ],
};

describe("answers say what the tools report, and what they cannot see", () => {
  it("reports a NAS's reachability and share capacity", () => {
    const { calls, answer } = converse("is the nas reachable", { nas_status: nasUp });
    expect(calls).toEqual([{ tool: "nas_status", args: {} }]);
    expect(answer).toBe(
      "nas326 is up and answering over SMB. Shares: media 75 % used, 1.0 TiB free of 4.0 TiB; backups 50 % used, 1.0 TiB free of 2.0 TiB.",
    );
    const down = { nas: "nas326", reachable: false, error: "connection refused", shares: [] };
    expect(converse("nas326 status", { nas_status: down }).answer).toBe(
      "nas326 is not answering: connection refused.",
    );
  });

  it("answers one share's free space when a share is named", () => {
    const { calls, answer } = converse("how full is the backups share on nas326", { nas_status: nasUp });
    expect(calls).toEqual([{ tool: "nas_status", args: { nas: "nas326" } }]);
    expect(answer).toBe("The backups share on nas326: 50 % used, 1.0 TiB free of 2.0 TiB.");
  });

  it("says it cannot see NAS disk temperatures or SMART instead of guessing", () => {
    const hot = converse("how warm are the drives in the nas", { nas_status: nasUp }).answer;
    expect(hot).toMatch(/^I can't see disk temperatures: /);
    expect(hot).not.toMatch(/°|degrees/);
    expect(converse("what's the nas disk smart status", { nas_status: nasUp }).answer).toMatch(
      /^I can't see SMART health: /,
    );
  });

  it("says whether Sunshine streams, naming the app only by the id it reports", () => {
    const busy = { host: "gaming-pc", online: true, version: "1.0", streaming: { appId: 7 } };
    expect(converse("is anyone playing on the gaming pc", { sunshine_status: busy }).answer).toBe(
      "gaming-pc is online and streaming: app 7 is running (Sunshine 1.0).",
    );
    const idle = { ...busy, streaming: null };
    const fps = converse("what frame rate is the stream running at", { sunshine_status: idle }).answer;
    expect(fps).toBe(
      "Sunshine does not report the stream's frame rate. gaming-pc is online and idle: nothing is streaming (Sunshine 1.0).",
    );
  });

  it("answers whether one Moonlight client is paired", () => {
    const clients = { host: "gaming-pc", clients: [{ name: "living-room-shield", uuid: "A1" }] };
    const { calls, answer } = converse("is living-room-shield paired to the gaming pc", {
      sunshine_list_clients: clients,
    });
    expect(calls).toEqual([{ tool: "sunshine_list_clients", args: {} }]);
    expect(answer).toBe("Yes, living-room-shield is paired with Sunshine.");
  });

  it("lists incidents with the ids to ask about and their status", () => {
    const listed = {
      incidents: [
        { id: "inc-7", title: "disk full", status: "awaiting_approval" },
        { id: "inc-6", title: "cert expiring", status: "resolved" },
      ],
    };
    expect(converse("show me all incidents", { incidents_list: listed }).answer).toBe(
      "2 incidents: inc-7 disk full (awaiting approval) and inc-6 cert expiring (resolved).",
    );
  });

  it("tells an incident's story from its timeline, for ids said with or without 'incident'", () => {
    const id = "3b1f0c2e-8d4a-4e6b-9c1d-2f7a8b9c0d1e";
    expect(converse(`what happened to ${id}`, {}).calls).toEqual([{ tool: "incident_get", args: { id } }]);
    expect(recognize("what happened to sonarr", ctx)?.intent.name).not.toBe("incidents.get");
    const incident = {
      id: "inc-9",
      title: "grafana unhealthy",
      status: "awaiting_approval",
      severity: "warning",
      target: "local/grafana",
      summary: null,
      timeline: [
        { at: "t", kind: "alert", annotations: { summary: "healthcheck failing" } },
        {
          at: "t",
          kind: "evidence",
          tool: "docker_container_logs",
          result: { lines: [{ text: "EACCES /var/lib/grafana" }] },
        },
        { at: "t", kind: "decision", tool: "docker_restart_container", reason: "runbook" },
        { at: "t", kind: "approval", status: "requested", tool: "docker_restart_container" },
      ],
    };
    expect(converse("what was incident inc-9 about", { incident_get: incident }).answer).toBe(
      "inc-9, grafana unhealthy: awaiting approval (warning, local/grafana). healthcheck failing. docker_container_logs: EACCES /var/lib/grafana. decided on docker_restart_container (runbook). waiting for approval of docker_restart_container.",
    );
  });

  it("answers the part of a container's configuration that was asked for", () => {
    const inspected = {
      image: "ghcr.io/example/grafana:11.2.0",
      ports: ["0.0.0.0:3000->3000/tcp"],
      mounts: [{ source: "/srv/appdata/grafana", destination: "/var/lib/grafana", readOnly: false }],
      env: { GF_DATABASE_HOST: "db:5432", GF_DATABASE_PASSWORD: "***", TZ: "UTC" },
    };
    const ask = (text: string) => converse(text, { docker_inspect_container: inspected });
    expect(ask("which ports does radarr publish").calls).toEqual([
      { tool: "docker_inspect_container", args: { container: "radarr" } },
    ]);
    expect(ask("which ports does radarr publish").answer).toBe("radarr publishes 0.0.0.0:3000->3000/tcp.");
    expect(ask("where does the sonarr container store its data").answer).toBe(
      "sonarr mounts /srv/appdata/grafana on /var/lib/grafana.",
    );
    expect(ask("what image is minio running").answer).toBe(
      "minio runs the image ghcr.io/example/grafana:11.2.0.",
    );
    expect(ask("what db is nextcloud pointed at").answer).toBe(
      "nextcloud's database settings: GF_DATABASE_HOST=db:5432.",
    );
  });

  it("takes a kind word after a container's name as not part of it", () => {
    expect(converse("is the radarr service healthy", {}).calls).toEqual([
      { tool: "docker_inspect_container", args: { container: "radarr" } },
    ]);
  });

  it("reports backups from backup_list's real shape, with snapshot ids when asked", () => {
    const job = {
      job: "nas-photos",
      lastRun: { status: "ok", finishedAt: "2026-11-26T01:00:00Z", snapshot: "aa11bb22" },
      lastSuccess: "2026-11-26T01:00:00Z",
      nextRun: "2026-11-27T01:00:00Z",
      snapshots: [
        { id: "aa11bb22", time: "2026-11-26T01:00:00Z" },
        { id: "cc33dd44", time: "2026-11-25T01:00:00Z" },
      ],
    };
    expect(converse("show the snapshots for nas-photos", { backup_list: job }).answer).toBe(
      "nas-photos: last run ok at 2026-11-26T01:00:00Z (snapshot aa11bb22); next run 2026-11-27T01:00:00Z; 2 recent snapshots: aa11bb22 (2026-11-26T01:00:00Z), cc33dd44 (2026-11-25T01:00:00Z).",
    );
    const all = {
      jobs: [
        {
          job: "media-config",
          lastRun: { status: "failed", startedAt: "t1", error: "disk full" },
          lastSuccess: null,
        },
      ],
    };
    expect(converse("backups status", { backup_list: all }).answer).toBe(
      "1 backup job. media-config: last run failed at t1: disk full (last success: never).",
    );
  });

  it("quotes the log lines that say what went wrong, not the last ones", () => {
    const logs = {
      lines: [
        { text: "starting" },
        { text: "unable to open database file /data/app.db" },
        { text: "shutting down" },
      ],
    };
    const inspected = { state: { status: "exited", exitCode: 1 }, health: { status: "none" } };
    expect(
      converse("why did radarr crash", { docker_inspect_container: inspected, docker_container_logs: logs })
        .answer,
    ).toBe('radarr is exited. Its recent logs say "unable to open database file /data/app.db".');
  });

  it("reads the newest matching mail after searching for it", () => {
    const match = recognize("open the newest mail from the landlord", ctx)!;
    expect(match.intent.plan(match.slots, ctx)).toEqual([
      { tool: "gmail_search", args: { query: "landlord", max: 1 } },
    ]);
    const found = { tool: "gmail_search", args: {}, output: { messages: [{ id: "m7" }, { id: "m6" }] } };
    expect(match.intent.next?.(match.slots, [found], ctx)).toEqual([
      { tool: "gmail_read", args: { id: "m7" } },
    ]);
    const read = {
      tool: "gmail_read",
      args: { id: "m7" },
      output: {
        from: "Landlord <l@example.org>",
        subject: "Rent",
        date: "2026-11-20",
        body: "The rent\n goes up.",
      },
    };
    expect(match.intent.answer(match.slots, [found, read], ctx)).toBe(
      'From Landlord <l@example.org>, "Rent" (2026-11-20): The rent goes up.',
    );
    const none = { tool: "gmail_search", args: {}, output: { messages: [] } };
    expect(match.intent.next?.(match.slots, [none], ctx)).toBeUndefined();
    expect(match.intent.answer(match.slots, [none], ctx)).toBe('No mail matches "landlord".');
  });

  it("answers Home Assistant attribute, who and how-low questions from what the tools report", () => {
    const bright = converse("what is the brightness of the bedroom light", {
      ha_get_state: { entity_id: "light.bedroom", name: "Bedroom Light", attributes: { brightness: 128 } },
    });
    expect(bright.calls).toEqual([{ tool: "ha_get_state", args: { entity_id: "light.bedroom" } }]);
    expect(bright.answer).toBe("Bedroom Light's brightness is 128.");

    const garage = {
      entity_id: "cover.garage_door",
      name: "Garage Door",
      hours: 24,
      changes: [{ state: "open", at: "08:00" }],
    };
    const who = converse("who opened the garage door today", { ha_history: garage });
    expect(who.calls[0]).toMatchObject({ tool: "ha_history", args: { entity_id: "cover.garage_door" } });
    expect(who.answer).toBe(
      "Home Assistant's history records when, not who. Garage Door in the last 24 hours: open at 08:00.",
    );

    const temps = {
      entity_id: "sensor.outdoor_temperature",
      name: "Outdoor Temperature",
      hours: 12,
      changes: [
        { state: "2.5", at: "01:00" },
        { state: "unavailable", at: "02:00" },
        { state: "-1", at: "05:00" },
      ],
    };
    const night = converse("how warm did it get outside overnight", { ha_history: temps });
    expect(night.calls).toEqual([
      { tool: "ha_history", args: { entity_id: "sensor.outdoor_temperature", hours: 12 } },
    ]);
    expect(night.answer).toBe(
      "Outdoor Temperature over the last 12 hours: lowest -1 at 05:00, highest 2.5 at 01:00.",
    );
  });

  it("takes 'that one' and 'a fresh one' (normalized to '… 1') as the thing named before", () => {
    const plan = (text: string, recent: Array<Record<string, unknown>>) => {
      const after = { ...ctx, recent };
      const match = recognize(text, after);
      return match?.intent.plan(match.slots, after);
    };
    expect(plan("fine, now run another one", [{ job: "nas-photos" }])).toEqual([
      { tool: "backup_run", args: { job: "nas-photos" } },
    ]);
    expect(plan("restart that one", [{ container: "radarr" }])).toEqual([
      { tool: "docker_restart_container", args: { container: "radarr" } },
    ]);
  });
});
