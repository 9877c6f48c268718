/**
 * A Home Assistant simulator for tests: the WebSocket API at /api/websocket and the REST history
 * endpoint, answering in Home Assistant's wire format so the real `home-assistant-js-websocket`
 * client (and Jarvis's REST calls) run against it unchanged.
 *
 * Follows Home Assistant's developer documentation:
 * - WebSocket API (auth_required → auth → auth_ok | auth_invalid; `id` on every command and its
 *   `result` `{id, type: "result", success, result | error: {code, message}}`; get_states,
 *   subscribe_events / unsubscribe_events with `{id, type: "event", event: {event_type, data,
 *   time_fired, origin, context}}`, call_service `{domain, service, service_data, target}`, ping/pong,
 *   fire_event): https://developers.home-assistant.io/docs/api/websocket
 * - REST API (`Authorization: Bearer`, 401 otherwise; `GET /api/history/period/<timestamp>` with
 *   `filter_entity_id`, `end_time`, `minimal_response`, `no_attributes` → one array of state changes
 *   per entity): https://developers.home-assistant.io/docs/api/rest
 * - Service targets as Home Assistant expands them: `entity_id` one, a list or `all` (every entity
 *   of the service's domain), `area_id`, `floor_id` (2024.4+); one state_changed per entity:
 *   https://www.home-assistant.io/docs/scripts/perform-actions/#targeting-areas-and-devices
 * - Registry list commands (`config/area_registry/list`, `config/device_registry/list`,
 *   `config/entity_registry/list`, `config/floor_registry/list`), as the frontend calls them.
 * - The companion app's actionable notifications (`notify.mobile_app_<device>` with
 *   `data.actions`, and the `mobile_app_notification_action` event fired when one is pressed):
 *   https://companion.home-assistant.io/docs/notifications/actionable-notifications
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface SimState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
  last_updated: string;
  context: { id: string; parent_id: null; user_id: null };
}

export interface SimEntitySeed {
  entity_id: string;
  state: string;
  attributes?: Record<string, unknown>;
  /** Area through the entity registry (or through its device when `device_id` is given). */
  area_id?: string;
  device_id?: string;
}

export interface SimOptions {
  token: string;
  entities: SimEntitySeed[];
  areas?: Array<{ area_id: string; name: string; floor_id?: string }>;
  /** Floors (Home Assistant 2024.4+) that areas sit on through `floor_id`. */
  floors?: Array<{ floor_id: string; name: string; level?: number }>;
  devices?: Array<{ id: string; name: string; area_id?: string }>;
  /** Notify services that exist (`mobile_app_pixel`); notify.notify always exists. */
  notifyServices?: string[];
  haVersion?: string;
  port?: number;
}

export interface ServiceCall {
  domain: string;
  service: string;
  service_data: Record<string, unknown>;
  target: Record<string, unknown>;
}

const now = () => new Date().toISOString();
let contextCounter = 0;
const context = () => ({ id: `ctx${(++contextCounter).toString(36)}`, parent_id: null, user_id: null });

/** What each domain's services do to an entity's state. */
function nextState(domain: string, service: string, current: string): string | undefined {
  const table: Record<string, string> = {
    turn_on: "on",
    turn_off: "off",
    lock: "locked",
    unlock: "unlocked",
    open_cover: "open",
    close_cover: "closed",
    alarm_arm_away: "armed_away",
    alarm_arm_home: "armed_home",
    alarm_disarm: "disarmed",
    media_play: "playing",
    media_pause: "paused",
  };
  if (service === "toggle") return current === "on" ? "off" : "on";
  if (domain === "climate" && service === "set_temperature") return current;
  return table[service];
}

/** Starts the simulator on 127.0.0.1 (a free port unless `port` is given). */
export async function startHomeAssistantSim(options: SimOptions) {
  const states = new Map<string, SimState>();
  const history = new Map<string, Array<{ state: string; last_changed: string }>>();
  const registry = new Map<string, SimEntitySeed>();
  for (const seed of options.entities) {
    // Seeded states began a day ago, so recent history holds only what a test adds.
    const at = new Date(Date.now() - 86_400_000).toISOString();
    states.set(seed.entity_id, {
      entity_id: seed.entity_id,
      state: seed.state,
      attributes: seed.attributes ?? {},
      last_changed: at,
      last_updated: at,
      context: context(),
    });
    history.set(seed.entity_id, [{ state: seed.state, last_changed: at }]);
    registry.set(seed.entity_id, seed);
  }
  const areas = options.areas ?? [];
  const devices = options.devices ?? [];
  const calls: ServiceCall[] = [];
  const sockets = new Set<WebSocket>();
  /** Per socket: subscription id → event type (undefined = every event). */
  const subscriptions = new Map<WebSocket, Map<number, string | undefined>>();
  let token = options.token;
  let authAttempts = 0;

  function broadcast(eventType: string, data: Record<string, unknown>) {
    const event = { event_type: eventType, data, origin: "LOCAL", time_fired: now(), context: context() };
    for (const [socket, subs] of subscriptions) {
      for (const [id, type] of subs) {
        if (type === undefined || type === eventType)
          socket.send(JSON.stringify({ id, type: "event", event }));
      }
    }
  }

  function setState(entityId: string, state: string, attributes?: Record<string, unknown>) {
    const old = states.get(entityId);
    const at = now();
    const next: SimState = {
      entity_id: entityId,
      state,
      attributes: { ...(old?.attributes ?? {}), ...(attributes ?? {}) },
      last_changed: old && old.state === state ? old.last_changed : at,
      last_updated: at,
      context: context(),
    };
    states.set(entityId, next);
    if (!old || old.state !== state) {
      const list = history.get(entityId) ?? [];
      list.push({ state, last_changed: at });
      history.set(entityId, list);
    }
    broadcast("state_changed", { entity_id: entityId, old_state: old ?? null, new_state: next });
  }

  /** The area of an entity: its registry entry's, else its device's. */
  function areaOf(entityId: string): string | undefined {
    const seed = registry.get(entityId);
    return seed?.area_id ?? devices.find((d) => d.id === seed?.device_id)?.area_id;
  }

  /**
   * The entities a call targets, as Home Assistant expands them: `entity_id` (one, a list, or
   * "all": every entity of the service's domain) and `area_id` (the entities in those areas,
   * directly or through their device), in the target or, as older clients send it, in the data.
   */
  function targetIds(domain: string, target: Record<string, unknown>, data: Record<string, unknown>) {
    const named = [target.entity_id ?? data.entity_id ?? []].flat() as string[];
    const ofDomain = (id: string) => domain === "homeassistant" || id.startsWith(`${domain}.`);
    const ids = new Set(named.includes("all") ? [...states.keys()].filter(ofDomain) : named);
    const floors = [target.floor_id ?? data.floor_id ?? []].flat() as string[];
    const areas = [
      ...([target.area_id ?? data.area_id ?? []].flat() as string[]),
      ...(options.areas ?? []).filter((a) => a.floor_id && floors.includes(a.floor_id)).map((a) => a.area_id),
    ];
    for (const id of states.keys()) {
      const area = areaOf(id);
      if (area && areas.includes(area) && ofDomain(id)) ids.add(id);
    }
    return [...ids];
  }

  function callService(message: Record<string, unknown>): { error?: { code: string; message: string } } {
    const domain = String(message.domain);
    const service = String(message.service);
    const data = (message.service_data ?? {}) as Record<string, unknown>;
    const target = (message.target ?? {}) as Record<string, unknown>;
    calls.push({ domain, service, service_data: data, target });
    if (domain === "notify") {
      if (service !== "notify" && !(options.notifyServices ?? []).includes(service)) {
        return { error: { code: "not_found", message: `Service ${domain}.${service} not found.` } };
      }
      return {};
    }
    const ids = targetIds(domain, target, data);
    for (const id of ids) {
      const current = states.get(id);
      if (!current) continue; // Home Assistant only logs entities it cannot find
      const entityDomain = id.split(".")[0]!;
      if (domain !== "homeassistant" && domain !== entityDomain) continue;
      const state = nextState(entityDomain, service, current.state);
      if (state === undefined) {
        return { error: { code: "not_found", message: `Service ${domain}.${service} not found.` } };
      }
      const attributes =
        service === "set_temperature" && typeof data.temperature === "number"
          ? { temperature: data.temperature }
          : service === "turn_on" && typeof data.brightness_pct === "number"
            ? { brightness: Math.round((data.brightness_pct * 255) / 100) }
            : undefined;
      setState(id, state, attributes);
    }
    return {};
  }

  function registryList(type: string): unknown[] | undefined {
    if (type === "config/area_registry/list") {
      return areas.map((a) => ({
        area_id: a.area_id,
        name: a.name,
        aliases: [],
        floor_id: a.floor_id ?? null,
        icon: null,
      }));
    }
    if (type === "config/floor_registry/list") {
      return (options.floors ?? []).map((f) => ({
        floor_id: f.floor_id,
        name: f.name,
        level: f.level ?? null,
        aliases: [],
        icon: null,
      }));
    }
    if (type === "config/device_registry/list") {
      return devices.map((d) => ({
        id: d.id,
        name: d.name,
        name_by_user: null,
        area_id: d.area_id ?? null,
        manufacturer: "Sim",
        model: "Sim",
        disabled_by: null,
      }));
    }
    if (type === "config/entity_registry/list") {
      return [...registry.values()].map((e) => ({
        entity_id: e.entity_id,
        area_id: e.area_id ?? null,
        device_id: e.device_id ?? null,
        name: null,
        original_name: String(states.get(e.entity_id)?.attributes.friendly_name ?? ""),
        platform: "sim",
        disabled_by: null,
        hidden_by: null,
      }));
    }
    return undefined;
  }

  function onCommand(socket: WebSocket, message: Record<string, unknown>) {
    const id = Number(message.id);
    const reply = (result: unknown) =>
      socket.send(JSON.stringify({ id, type: "result", success: true, result }));
    const fail = (code: string, text: string) =>
      socket.send(JSON.stringify({ id, type: "result", success: false, error: { code, message: text } }));
    const type = String(message.type);
    if (type === "ping") return socket.send(JSON.stringify({ id, type: "pong" }));
    if (type === "supported_features") return reply(null);
    if (type === "get_states") return reply([...states.values()]);
    if (type === "get_config")
      return reply({ version: options.haVersion ?? "2026.11.0", location_name: "Sim" });
    if (type === "subscribe_events") {
      subscriptions.get(socket)!.set(id, message.event_type as string | undefined);
      return reply(null);
    }
    if (type === "unsubscribe_events") {
      subscriptions.get(socket)!.delete(Number(message.subscription));
      return reply(null);
    }
    if (type === "call_service") {
      const outcome = callService(message);
      return outcome.error ? fail(outcome.error.code, outcome.error.message) : reply({ context: context() });
    }
    if (type === "fire_event") {
      broadcast(String(message.event_type), (message.event_data ?? {}) as Record<string, unknown>);
      return reply({ context: context() });
    }
    const list = registryList(type);
    if (list) return reply(list);
    return fail("unknown_command", `Unknown command: ${type}`);
  }

  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", (socket) => {
    sockets.add(socket);
    let authed = false;
    socket.send(JSON.stringify({ type: "auth_required", ha_version: options.haVersion ?? "2026.11.0" }));
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as Record<string, unknown>;
      if (!authed) {
        authAttempts += 1;
        if (message.type === "auth" && message.access_token === token) {
          authed = true;
          subscriptions.set(socket, new Map());
          socket.send(JSON.stringify({ type: "auth_ok", ha_version: options.haVersion ?? "2026.11.0" }));
        } else {
          socket.send(JSON.stringify({ type: "auth_invalid", message: "Invalid access token or password" }));
          socket.close();
        }
        return;
      }
      onCommand(socket, message);
    });
    socket.on("close", () => {
      sockets.delete(socket);
      subscriptions.delete(socket);
    });
  });

  function rest(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: "Unauthorized" });
    const url = new URL(req.url ?? "/", "http://sim");
    if (url.pathname === "/api/") return send(200, { message: "API running." });
    const match = /^\/api\/history\/period\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && match) {
      const start = Date.parse(decodeURIComponent(match[1]!));
      const end = url.searchParams.get("end_time")
        ? Date.parse(url.searchParams.get("end_time")!)
        : Date.now();
      if (Number.isNaN(start) || Number.isNaN(end)) return send(400, { message: "Invalid datetime" });
      const ids = (url.searchParams.get("filter_entity_id") ?? "").split(",").filter(Boolean);
      if (!ids.length) return send(400, { message: "filter_entity_id is missing" });
      const minimal = url.searchParams.has("minimal_response");
      const body = ids
        .filter((id) => history.has(id))
        .map((id) => {
          const changes = history.get(id)!;
          // The state at the start of the period comes first, then every change inside it.
          const before = changes.filter((c) => Date.parse(c.last_changed) <= start).at(-1);
          const inside = changes.filter((c) => {
            const t = Date.parse(c.last_changed);
            return t > start && t <= end;
          });
          return [...(before ? [before] : []), ...inside].map((c, i) =>
            minimal && i > 0
              ? { state: c.state, last_changed: c.last_changed }
              : {
                  entity_id: id,
                  state: c.state,
                  attributes: {},
                  last_changed: c.last_changed,
                  last_updated: c.last_changed,
                },
          );
        });
      return send(200, body);
    }
    return send(404, { message: "Not found" });
  }

  const server = createServer(rest);
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://sim").pathname !== "/api/websocket") return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen(options.port ?? 0);

  async function stop() {
    for (const socket of sockets) socket.terminate();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    states,
    /** Changes a state as a device would, emitting state_changed. */
    setState,
    /** Adds a past state change to an entity's history (for history questions). */
    addHistory(entityId: string, state: string, at: Date) {
      const list = history.get(entityId) ?? [];
      list.push({ state, last_changed: at.toISOString() });
      list.sort((a, b) => a.last_changed.localeCompare(b.last_changed));
      history.set(entityId, list);
    },
    /** Fires an event on the bus (a pressed notification action, say). */
    fireEvent: broadcast,
    /** Connections that completed or failed the auth phase. */
    get authAttempts() {
      return authAttempts;
    },
    get connections() {
      return sockets.size;
    },
    setToken(next: string) {
      token = next;
    },
    /** Drops every connection and stops listening (Home Assistant going down). */
    stop,
    /** Comes back on the same port. */
    async start() {
      await listen(port);
    },
  };
}
export type HomeAssistantSim = Awaited<ReturnType<typeof startHomeAssistantSim>>;
