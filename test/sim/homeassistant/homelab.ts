import type { SimOptions } from "./server.ts";

/** The standard eval world's Home Assistant (DESIGN.md "homelab"), as simulator seeds. */
export function homelabHomeAssistant(token: string): SimOptions {
  return {
    token,
    notifyServices: ["mobile_app_pixel"],
    areas: [
      { area_id: "living_room", name: "Living Room" },
      { area_id: "kitchen", name: "Kitchen" },
      { area_id: "bedroom", name: "Bedroom" },
      { area_id: "hallway", name: "Hallway" },
      { area_id: "garage", name: "Garage" },
    ],
    devices: [{ id: "dev_tv", name: "Living Room TV", area_id: "living_room" }],
    entities: [
      {
        entity_id: "light.living_room",
        state: "on",
        area_id: "living_room",
        attributes: { friendly_name: "Living Room Lights" },
      },
      {
        entity_id: "light.kitchen",
        state: "on",
        area_id: "kitchen",
        attributes: { friendly_name: "Kitchen Lights" },
      },
      {
        entity_id: "light.bedroom",
        state: "off",
        area_id: "bedroom",
        attributes: { friendly_name: "Bedroom Light" },
      },
      {
        entity_id: "switch.coffee_maker",
        state: "off",
        area_id: "kitchen",
        attributes: { friendly_name: "Coffee Maker" },
      },
      {
        entity_id: "climate.hallway",
        state: "heat",
        area_id: "hallway",
        attributes: { friendly_name: "Hallway Thermostat", temperature: 20, current_temperature: 19.5 },
      },
      {
        entity_id: "lock.front_door",
        state: "locked",
        area_id: "hallway",
        attributes: { friendly_name: "Front Door" },
      },
      {
        entity_id: "cover.garage_door",
        state: "closed",
        area_id: "garage",
        attributes: { friendly_name: "Garage Door" },
      },
      {
        entity_id: "sensor.outdoor_temperature",
        state: "7.5",
        attributes: {
          friendly_name: "Outdoor Temperature",
          unit_of_measurement: "°C",
          device_class: "temperature",
        },
      },
      {
        entity_id: "media_player.living_room_tv",
        state: "idle",
        device_id: "dev_tv",
        attributes: { friendly_name: "Living Room TV" },
      },
      {
        entity_id: "binary_sensor.front_door_contact",
        state: "off",
        area_id: "hallway",
        attributes: { friendly_name: "Front Door Contact", device_class: "door" },
      },
    ],
  };
}
