import type { HassEntity } from "home-assistant-js-websocket";

/** An entity as Jarvis sees it: its state plus the friendly name and area the registries give. */
export interface HaEntity {
  entity_id: string;
  name: string;
  area?: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed: string;
}

export interface AreaEntry {
  area_id: string;
  name: string;
  floor_id?: string | null;
}
export interface FloorEntry {
  floor_id: string;
  name: string;
}
export interface DeviceEntry {
  id: string;
  name: string | null;
  name_by_user?: string | null;
  area_id: string | null;
}
export interface EntityEntry {
  entity_id: string;
  area_id: string | null;
  device_id: string | null;
  name: string | null;
  original_name?: string | null;
}

/**
 * The live picture of Home Assistant: states (kept current by state_changed events) and the area,
 * device and entity registries, joined so that each entity has a name and an area.
 */
export function createEntityCache() {
  const states = new Map<string, HassEntity>();
  let areas = new Map<string, string>();
  let floors: Array<{ name: string; areas: string[] }> = [];
  let devices = new Map<string, DeviceEntry>();
  let entries = new Map<string, EntityEntry>();

  function areaOf(entityId: string): string | undefined {
    const entry = entries.get(entityId);
    const areaId = entry?.area_id ?? (entry?.device_id ? devices.get(entry.device_id)?.area_id : undefined);
    return areaId ? (areas.get(areaId) ?? areaId) : undefined;
  }

  function view(state: HassEntity): HaEntity {
    const entry = entries.get(state.entity_id);
    const name =
      (state.attributes.friendly_name as string | undefined) ??
      entry?.name ??
      entry?.original_name ??
      state.entity_id.split(".")[1]!.replace(/_/g, " ");
    return {
      entity_id: state.entity_id,
      name,
      area: areaOf(state.entity_id),
      state: state.state,
      attributes: state.attributes,
      last_changed: state.last_changed,
    };
  }

  return {
    /** Replaces every state (after connecting or reconnecting). */
    setStates(list: HassEntity[]) {
      states.clear();
      for (const state of list) states.set(state.entity_id, state);
    },
    /** Applies one state_changed event (new_state null: the entity was removed). */
    applyChange(entityId: string, next: HassEntity | null) {
      if (next) states.set(entityId, next);
      else states.delete(entityId);
    },
    setRegistries(lists: {
      areas: AreaEntry[];
      devices: DeviceEntry[];
      entities: EntityEntry[];
      floors?: FloorEntry[];
    }) {
      areas = new Map(lists.areas.map((a) => [a.area_id, a.name]));
      floors = (lists.floors ?? []).map((f) => ({
        name: f.name,
        areas: lists.areas.filter((a) => a.floor_id === f.floor_id).map((a) => a.name),
      }));
      devices = new Map(lists.devices.map((d) => [d.id, d]));
      entries = new Map(lists.entities.map((e) => [e.entity_id, e]));
    },
    entities: (): HaEntity[] => [...states.values()].map(view),
    get: (entityId: string): HaEntity | undefined => {
      const state = states.get(entityId);
      return state ? view(state) : undefined;
    },
    areas: (): string[] => [...areas.values()],
    floors: (): Array<{ name: string; areas: string[] }> => floors,
    get size() {
      return states.size;
    },
  };
}
export type EntityCache = ReturnType<typeof createEntityCache>;
