import { open, stat, unlink } from "node:fs/promises";
import type { ImportMode } from "./place-file.ts";

const chunk = 1 << 20;

/** Whether two files hold the same bytes (sizes first, then 1 MiB at a time). */
async function sameContent(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  const [fa, fb] = await Promise.all([open(a), open(b)]);
  try {
    const ba = Buffer.alloc(chunk);
    const bb = Buffer.alloc(chunk);
    for (let position = 0; position < sa.size; position += chunk) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, chunk, position), fb.read(bb, 0, chunk, position)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead)))
        return false;
    }
    return true;
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}

/**
 * Whether `target` (which exists) already is what placing `from` there in `mode` makes, as after
 * an earlier attempt of the same import got that far: the same inode for a hard link, the same
 * bytes for a copy; for a move, the source gone, or still there as the same inode or bytes (the
 * attempt stopped before removing it: it is removed now, finishing the move).
 */
export async function placedAlready(from: string, target: string, mode: ImportMode): Promise<boolean> {
  const source = await stat(from).catch(() => undefined);
  if (!source) return mode === "move";
  const placed = await stat(target);
  const sameInode = source.dev === placed.dev && source.ino === placed.ino;
  if (mode === "hardlink") return sameInode;
  const same = sameInode || (await sameContent(from, target));
  if (same && mode === "move") await unlink(from);
  return same;
}
