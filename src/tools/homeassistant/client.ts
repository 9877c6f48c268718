import {
  type Connection,
  callService,
  createConnection,
  createLongLivedTokenAuth,
  ERR_INVALID_AUTH,
  type HassEntity,
} from "home-assistant-js-websocket";
import { JarvisError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import type { Secret } from "../../secret.ts";
import {
  type AreaEntry,
  createEntityCache,
  type DeviceEntry,
  type EntityEntry,
  type FloorEntry,
  type HaEntity,
} from "./cache.ts";
import { fetchHistory, type StateChange } from "./history.ts";

export interface HomeAssistantOptions {
  /** Home Assistant's base URL, e.g. http://homeassistant.local:8123. */
  url: string;
  /** A long-lived access token (profile → Security). */
  token: Secret;
  log: Logger;
  /** The notify service ha_notify uses when the call names none (HA_NOTIFY_TARGET). */
  notifyTarget?: string;
  fetch?: typeof fetch;
  /** Backoff between failed first connections: starts here, doubles, stops growing at maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export type ConnectionState = "connecting" | "connected" | "disconnected" | "auth_invalid" | "closed";
export type EventListener = (eventType: string, data: Record<string, unknown>) => void;

/** Events Jarvis listens to besides state changes: registry edits and pressed notification actions. */
const registryEvents = [
  "area_registry_updated",
  "device_registry_updated",
  "entity_registry_updated",
  "floor_registry_updated",
];
const forwardedEvents = ["mobile_app_notification_action"];

/**
 * The Home Assistant client: one WebSocket connection (home-assistant-js-websocket, over Node's
 * global WebSocket) that authenticates with a long-lived token, keeps every entity's state and the
 * area/device/entity registries in a cache kept current by events, calls services, and reconnects
 * with backoff (the library retries a dropped connection; Jarvis retries the first one). History
 * comes from the REST API, which the WebSocket API lacks in a stable form.
 */
export function createHomeAssistantClient(options: HomeAssistantOptions) {
  const base = options.url.replace(/\/+$/, "");
  const cache = createEntityCache();
  const listeners = new Set<EventListener>();
  const stateListeners = new Set<(entity: HaEntity) => void>();
  const tellState = (entityId: string) => {
    const entity = cache.get(entityId);
    if (entity) for (const listener of stateListeners) listener(entity);
  };
  const log = options.log;
  let conn: Connection | undefined;
  let state: ConnectionState = "connecting";
  let lastError: string | undefined;
  let started: Promise<void> | undefined;
  let firstLoad: { promise: Promise<void>; resolve: () => void };
  {
    let resolve!: () => void;
    firstLoad = { promise: new Promise<void>((r) => (resolve = r)), resolve };
  }
  const stop = new AbortController();

  async function loadRegistries(c: Connection) {
    const [areas, devices, entities, floors] = await Promise.all([
      c.sendMessagePromise<AreaEntry[]>({ type: "config/area_registry/list" }),
      c.sendMessagePromise<DeviceEntry[]>({ type: "config/device_registry/list" }),
      c.sendMessagePromise<EntityEntry[]>({ type: "config/entity_registry/list" }),
      // Floors came in Home Assistant 2024.4; an older one answers unknown_command.
      c.sendMessagePromise<FloorEntry[]>({ type: "config/floor_registry/list" }).catch(() => []),
    ]);
    cache.setRegistries({ areas, devices, entities, floors });
  }

  /** Reads everything again: after connecting, and after each reconnect (events were missed). */
  async function refresh(c: Connection) {
    await loadRegistries(c);
    cache.setStates(await c.sendMessagePromise<HassEntity[]>({ type: "get_states" }));
    state = "connected";
    lastError = undefined;
    firstLoad.resolve();
    // Listeners see every state after (re)connecting: changes while disconnected were missed.
    for (const entity of cache.entities()) tellState(entity.entity_id);
  }

  async function attach(c: Connection) {
    // Subscribe before reading the states, so no change falls between the two.
    await c.subscribeEvents<{ data: { entity_id: string; new_state: HassEntity | null } }>((event) => {
      cache.applyChange(event.data.entity_id, event.data.new_state);
      tellState(event.data.entity_id);
    }, "state_changed");
    for (const type of registryEvents) {
      await c.subscribeEvents(() => {
        loadRegistries(c).catch((error) => log.warn("Home Assistant registry reload failed", { error }));
      }, type);
    }
    for (const type of forwardedEvents) {
      await c.subscribeEvents<{ data: Record<string, unknown> }>((event) => {
        for (const listener of listeners) listener(type, event.data);
      }, type);
    }
    c.addEventListener("disconnected", () => {
      state = "disconnected";
      lastError = "connection lost; reconnecting";
      log.warn("Home Assistant connection lost; reconnecting", { url: base });
    });
    c.addEventListener("ready", () => {
      refresh(c).then(
        () => log.info("Home Assistant reconnected", { url: base, entities: cache.size }),
        (error) => log.warn("Home Assistant refresh after reconnect failed", { error }),
      );
    });
    c.addEventListener("reconnect-error", () => {
      state = "auth_invalid";
      lastError = "Home Assistant refused the token (auth_invalid); check HA_TOKEN";
      log.error("Home Assistant refused the token; not reconnecting", { url: base });
    });
    await refresh(c);
  }

  async function connectLoop() {
    const auth = createLongLivedTokenAuth(base, options.token.reveal());
    let delay = options.minDelayMs ?? 1000;
    while (!stop.signal.aborted) {
      try {
        const c = await createConnection({ auth, setupRetry: 0 });
        if (stop.signal.aborted) return c.close();
        conn = c;
        await attach(c);
        log.info("Home Assistant connected", { url: base, entities: cache.size });
        return;
      } catch (error) {
        conn?.close();
        conn = undefined;
        if (error === ERR_INVALID_AUTH) {
          state = "auth_invalid";
          lastError = "Home Assistant refused the token (auth_invalid); check HA_TOKEN";
          log.error("Home Assistant refused the token", { url: base });
          return;
        }
        state = "disconnected";
        lastError = `cannot connect to ${base}`;
        log.warn("Home Assistant not reachable; retrying", { url: base, retryInMs: delay });
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delay);
          const wake = () => {
            clearTimeout(timer);
            resolve(undefined);
          };
          stop.signal.addEventListener("abort", wake, { once: true });
        });
        delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
      }
    }
  }

  function connected(): Connection {
    if (!conn || state !== "connected") {
      throw new JarvisError("unavailable", `Home Assistant is not connected (${lastError ?? state})`);
    }
    return conn;
  }

  return {
    url: base,
    notifyTarget: options.notifyTarget ?? "notify",
    /** Starts connecting in the background; the returned promise settles when the first attempt loop ends. */
    start(): Promise<void> {
      started ??= connectLoop();
      return started;
    },
    /** Resolves once states and registries were first loaded (or rejects after timeoutMs). */
    ready(timeoutMs = 10_000): Promise<void> {
      return Promise.race([
        firstLoad.promise,
        new Promise<void>((_, reject) =>
          setTimeout(
            () =>
              reject(
                new JarvisError("unavailable", `Home Assistant is not connected (${lastError ?? state})`),
              ),
            timeoutMs,
          ).unref(),
        ),
      ]);
    },
    status: () => ({ state, ok: state === "connected", error: lastError, entities: cache.size }),
    /** A round trip over the connection (health checks). */
    async ping(): Promise<void> {
      await connected().ping();
    },
    entities: (): HaEntity[] => cache.entities(),
    entity: (entityId: string): HaEntity | undefined => cache.get(entityId),
    areas: (): string[] => cache.areas(),
    /** Floor names (Home Assistant 2024.4+), each with the names of its areas. */
    floors: () => cache.floors(),
    /** Calls a service; Home Assistant's error (unknown service, bad data) becomes a tool error. */
    async callService(
      domain: string,
      service: string,
      data: Record<string, unknown> | undefined,
      target: { entity_id?: string | string[] } | undefined,
    ): Promise<void> {
      try {
        await callService(connected(), domain, service, data, target);
      } catch (error) {
        if (error instanceof JarvisError) throw error;
        const e = error as { code?: unknown; message?: unknown };
        const message = typeof e?.message === "string" ? e.message : `error ${String(e?.code ?? error)}`;
        throw new JarvisError(
          e?.code === "not_found" ? "not_found" : "tool_failed",
          `Home Assistant refused ${domain}.${service}: ${message}`,
          { cause: error },
        );
      }
    },
    /** State changes of one entity over the last `hours`, oldest first (REST history). */
    history(entityId: string, hours: number, signal?: AbortSignal): Promise<StateChange[]> {
      return fetchHistory(
        { base, token: options.token, fetch: options.fetch ?? fetch },
        entityId,
        hours,
        signal,
      );
    },
    /** Every state change (and every state after each (re)connect). Returns an unsubscribe. */
    onStateChange(listener: (entity: HaEntity) => void): () => void {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    /** Forwarded Home Assistant events (mobile_app_notification_action). Returns an unsubscribe. */
    onEvent(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      stop.abort();
      state = "closed";
      conn?.close();
      conn = undefined;
    },
  };
}
export type HomeAssistantClient = ReturnType<typeof createHomeAssistantClient>;
