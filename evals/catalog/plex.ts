/** Every Plex tool has landed: the eval toolset uses the real definitions (src/tools/plex). */
export const plexStandIns = [];
