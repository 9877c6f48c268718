import { lstat, readdir, realpath } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { JarvisError } from "../../errors.ts";
import { videoExtensions } from "./parse-name.ts";

/** A video file found under an import source: its real path and the name to parse. */
export interface FoundVideo {
  path: string;
  /** The file name, or its folder's name when the file name says nothing (`abc123.mkv`). */
  names: string[];
  ext: string;
}

const isSample = (name: string) => /(^|[\s._-])sample([\s._-]|$)/i.test(name);

/**
 * Every video file at `source` (a file or a folder, searched `maxDepth` deep), skipping samples and
 * symlinks (an import never follows a link out of the download folder).
 */
export async function findVideos(source: string, maxDepth = 4, maxFiles = 5000): Promise<FoundVideo[]> {
  let root: string;
  try {
    root = await realpath(source);
  } catch {
    throw new JarvisError("not_found", `${source} does not exist`, { details: { source } });
  }
  const found: FoundVideo[] = [];
  async function visit(path: string, depth: number, folders: string[]) {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    if (info.isDirectory()) {
      if (depth > maxDepth || (depth > 0 && isSample(basename(path)))) return;
      const entries = (await readdir(path)).sort();
      for (const entry of entries) await visit(join(path, entry), depth + 1, [...folders, basename(path)]);
      return;
    }
    const ext = extname(path).slice(1).toLowerCase();
    if (!info.isFile() || !videoExtensions.has(ext) || isSample(basename(path))) return;
    if (found.length >= maxFiles)
      throw new JarvisError(
        "invalid_input",
        `${source} holds more than ${maxFiles} videos; import a smaller folder`,
      );
    found.push({
      path,
      names: [basename(path), ...folders.slice(1).reverse(), ...(depth === 0 ? [] : [basename(root)])],
      ext,
    });
  }
  await visit(root, 0, []);
  return found;
}
