import { z } from "zod";
import { name, standIn } from "./stand-in.ts";

/** Stand-ins for the NAS toolset: health and shares of a NAS, mounting shares on the Jarvis host. */
export const nasTools = [
  standIn({
    name: "nas_status",
    title: "NAS status",
    description:
      "Shows a NAS's health: model, uptime, volumes with used and free space, disk SMART status and temperatures, and its shares. Without nas, the default NAS.",
    input: z.strictObject({ nas: name(64).optional() }),
    risk: "read",
    target: (input) => input.nas,
  }),
  standIn({
    name: "nas_list_files",
    title: "List NAS files",
    description:
      "Lists files and folders in a NAS share (at path inside it), with sizes and modification times.",
    input: z.strictObject({ share: name(128), path: name(4096).optional() }),
    risk: "read",
    target: (input) => input.share,
  }),
  standIn({
    name: "nas_mount",
    title: "Mount NAS share",
    description:
      "Mounts a NAS share (SMB) on the Jarvis host at mountpoint (default /mnt/nas/<share>) so other tools can read it.",
    input: z.strictObject({ share: name(128), mountpoint: name(4096).optional() }),
    risk: "write",
    target: (input) => input.share,
  }),
  standIn({
    name: "nas_unmount",
    title: "Unmount NAS share",
    description: "Unmounts a NAS share mounted on the Jarvis host.",
    input: z.strictObject({ mountpoint: name(4096) }),
    risk: "write",
    target: (input) => input.mountpoint,
  }),
];
