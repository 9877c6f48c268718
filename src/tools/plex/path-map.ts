import { posix } from "node:path";

/** A folder as Jarvis sees it (`/srv/media`) and as Plex sees it (`/media`, inside its container). */
export interface PathMapping {
  local: string;
  plex: string;
}

const trim = (p: string) => (p.length > 1 ? p.replace(/\/+$/, "") : p);

/** True when `path` is `root` or inside it (both normalized, absolute). */
export function isInside(path: string, root: string): boolean {
  const p = trim(posix.normalize(path));
  const r = trim(posix.normalize(root));
  return p === r || p.startsWith(r === "/" ? "/" : `${r}/`);
}

/** A local path as Plex sees it, through the longest matching mapping; unchanged when none matches. */
export function toPlexPath(local: string, mappings: readonly PathMapping[]): string {
  const path = posix.normalize(local);
  const best = mappings
    .filter((m) => isInside(path, m.local))
    .sort((a, b) => b.local.length - a.local.length)[0];
  if (!best) return trim(path);
  return trim(posix.join(best.plex, posix.relative(trim(posix.normalize(best.local)), path)));
}

/** Parses `PLEX_PATH_MAP` entries `local=plex` (e.g. `/srv/media=/media`). */
export function parsePathMap(entries: readonly string[]): PathMapping[] {
  return entries.map((entry) => {
    const eq = entry.indexOf("=");
    return { local: entry.slice(0, eq), plex: entry.slice(eq + 1) };
  });
}
