import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";

export interface DirEntrySize {
  path: string;
  sizeBytes: number;
  children?: DirEntrySize[];
}

export interface WalkResult extends DirEntrySize {
  files: number;
  dirs: number;
  /** Entries that could not be read (permissions, vanished while walking). */
  unreadable: number;
  /** True when the entry budget ran out: sizes are lower bounds. */
  partial: boolean;
}

export interface WalkOptions {
  /** Levels of children to report (0: only the total). */
  depth: number;
  /** Children listed per directory, biggest first. */
  top: number;
  /** Most entries examined before it stops and says the sizes are partial. */
  maxEntries: number;
  signal?: AbortSignal;
}

/**
 * Measures a directory like `du -x`: allocated blocks, symlinks not followed, other filesystems
 * not entered, hard links counted once. Bounded by an entry budget and the abort signal.
 */
export async function walk(root: string, options: WalkOptions): Promise<WalkResult> {
  const state = { files: 0, dirs: 0, unreadable: 0, entries: 0, partial: false };
  const seenInodes = new Set<string>();
  const rootStat = await lstat(root);

  async function size(path: string, level: number): Promise<DirEntrySize> {
    options.signal?.throwIfAborted();
    let stat: Awaited<ReturnType<typeof lstat>>;
    try {
      stat = await lstat(path);
    } catch {
      state.unreadable++;
      return { path, sizeBytes: 0 };
    }
    if (++state.entries > options.maxEntries) {
      state.partial = true;
      return { path, sizeBytes: 0 };
    }
    if (stat.nlink > 1 && !stat.isDirectory()) {
      const key = `${stat.dev}:${stat.ino}`;
      if (seenInodes.has(key)) return { path, sizeBytes: 0 };
      seenInodes.add(key);
    }
    const own = Number(stat.blocks) * 512;
    if (!stat.isDirectory() || stat.dev !== rootStat.dev) {
      if (!stat.isDirectory()) state.files++;
      return { path, sizeBytes: stat.isDirectory() ? 0 : own };
    }
    state.dirs++;
    const children: DirEntrySize[] = [];
    try {
      const dir = await opendir(path);
      for await (const entry of dir) {
        if (state.partial) break;
        children.push(await size(join(path, entry.name), level + 1));
      }
    } catch {
      state.unreadable++;
    }
    const total = own + children.reduce((sum, c) => sum + c.sizeBytes, 0);
    if (level >= options.depth) return { path, sizeBytes: total };
    const top = children.sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, options.top);
    return { path, sizeBytes: total, children: top };
  }

  const result = await size(root, 0);
  return {
    ...result,
    files: state.files,
    dirs: state.dirs,
    unreadable: state.unreadable,
    partial: state.partial,
  };
}
