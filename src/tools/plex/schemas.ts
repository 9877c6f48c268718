import { z } from "zod";

/**
 * Zod schemas for the Plex Media Server responses Jarvis reads (JSON, `Accept: application/json`).
 * Objects are not strict: Plex adds attributes between versions, and only the fields used are checked.
 */

/** `GET /identity`: who the server is. */
export const PlexIdentity = z.object({
  MediaContainer: z.object({
    machineIdentifier: z.string(),
    version: z.string(),
    claimed: z.boolean().optional(),
  }),
});
export type PlexIdentity = z.infer<typeof PlexIdentity>;

export const PlexLocation = z.object({ id: z.number().optional(), path: z.string() });

/** One library section (`Directory`) of `GET /library/sections`. */
export const PlexSection = z.object({
  key: z.string(),
  title: z.string(),
  type: z.string(),
  /** Unix seconds of the last scan. */
  scannedAt: z.number().optional(),
  refreshing: z.boolean().optional(),
  Location: z.array(PlexLocation).default([]),
});
export type PlexSection = z.infer<typeof PlexSection>;

export const PlexSections = z.object({
  MediaContainer: z.object({ size: z.number(), Directory: z.array(PlexSection).default([]) }),
});

/** `GET /library/sections/{key}/all` with a container size of 0: only the total. */
export const PlexSectionTotal = z.object({
  MediaContainer: z.object({ size: z.number(), totalSize: z.number().optional() }),
});

/** One item of `GET /status/sessions`: what plays, for whom, on which player. */
export const PlexSession = z.object({
  title: z.string(),
  type: z.string(),
  year: z.number().optional(),
  grandparentTitle: z.string().optional(),
  parentIndex: z.number().optional(),
  index: z.number().optional(),
  duration: z.number().optional(),
  viewOffset: z.number().optional(),
  User: z.object({ title: z.string() }).optional(),
  Player: z
    .object({
      title: z.string().optional(),
      product: z.string().optional(),
      state: z.string().optional(),
    })
    .optional(),
  Session: z.object({ bandwidth: z.number().optional(), location: z.string().optional() }).optional(),
  TranscodeSession: z.object({ videoDecision: z.string().optional() }).optional(),
});
export type PlexSession = z.infer<typeof PlexSession>;

export const PlexSessions = z.object({
  MediaContainer: z.object({ size: z.number(), Metadata: z.array(PlexSession).default([]) }),
});

/** One hit of `GET /search?query=`. */
export const PlexSearchItem = z.object({
  ratingKey: z.string().optional(),
  title: z.string(),
  type: z.string(),
  year: z.number().optional(),
  librarySectionTitle: z.string().optional(),
  grandparentTitle: z.string().optional(),
  parentTitle: z.string().optional(),
  childCount: z.number().optional(),
  leafCount: z.number().optional(),
});
export type PlexSearchItem = z.infer<typeof PlexSearchItem>;

export const PlexSearch = z.object({
  MediaContainer: z.object({ size: z.number(), Metadata: z.array(PlexSearchItem).default([]) }),
});
