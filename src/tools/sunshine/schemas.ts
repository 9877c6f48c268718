import { z } from "zod";

/**
 * Zod schemas for the Sunshine responses Jarvis reads: the Web UI's JSON API (docs/api.md in
 * LizardByte/Sunshine) and the GameStream `/serverinfo` XML (read field by field into an object).
 */

/** A JSON `true` or Sunshine's older string `"true"`. */
const status = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const SunshineApps = z.object({
  apps: z.array(
    z.object({ name: z.string(), "image-path": z.string().optional(), cmd: z.unknown().optional() }),
  ),
});

export const SunshineClients = z.object({
  named_certs: z.array(z.object({ name: z.string(), uuid: z.string() })).default([]),
  status,
});

export const SunshineStatus = z.object({ status });

/** The fields of `/serverinfo` Jarvis uses. */
export const SunshineServerInfo = z.object({
  hostname: z.string(),
  appversion: z.string(),
  uniqueid: z.string().optional(),
  PairStatus: z.coerce.number(),
  currentgame: z.coerce.number(),
  state: z.string(),
});
export type SunshineServerInfo = z.infer<typeof SunshineServerInfo>;
