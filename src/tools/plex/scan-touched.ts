import type { PlexClient } from "./client.ts";
import { isInside, type PathMapping, toPlexPath } from "./path-map.ts";

/** Scans only the folders an import touched, each in the Plex library that holds it. */
export async function scanTouched(
  folders: string[],
  deps: { plex?: PlexClient; pathMap: readonly PathMapping[]; signal?: AbortSignal },
) {
  const { plex, signal } = deps;
  if (!plex || folders.length === 0)
    return { scanned: [], scanNote: plex ? undefined : "Plex is not configured: nothing scanned" };
  const sections = await plex.sections(signal);
  const scanned: Array<{ library: string; path: string }> = [];
  const unscanned: string[] = [];
  for (const folder of folders) {
    const path = toPlexPath(folder, deps.pathMap);
    const section = sections.find((s) => s.Location.some((l) => isInside(path, l.path)));
    if (!section) {
      unscanned.push(folder);
      continue;
    }
    await plex.refresh(section.key, path, signal);
    scanned.push({ library: section.title, path });
  }
  return {
    scanned,
    scanNote: unscanned.length
      ? `No Plex library holds ${unscanned.join(", ")} (check PLEX_PATH_MAP): not scanned`
      : undefined,
  };
}
