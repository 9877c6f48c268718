import { constants } from "node:fs";
import { copyFile, link, mkdir, realpath, rm, stat, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { JarvisError } from "../../errors.ts";
import { placedAlready } from "./placed-already.ts";

export type ImportMode = "hardlink" | "copy" | "move";

const inside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/** The deepest existing ancestor of `path`, resolved through symlinks. */
async function realAncestor(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      return await realpath(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) throw new JarvisError("not_found", `No existing folder above ${path}`);
      current = parent;
    }
  }
}

async function assertInside(path: string, realRoot: string, what: string) {
  const real = await realAncestor(path);
  if (!inside(real, realRoot)) {
    throw new JarvisError(
      "forbidden",
      `${what} ${path} resolves to ${real}, outside the library root ${realRoot}`,
      {
        details: { path },
      },
    );
  }
}

/**
 * Copies `from` to `target` under a hidden temporary name first and links it into place only when
 * complete, so a copy cut short (a worker killed mid-file) never looks like an imported file; the
 * temporary file a killed attempt left is replaced. Linking never replaces an existing `target`.
 */
async function copyComplete(from: string, target: string): Promise<void> {
  const partial = join(dirname(target), `.${basename(target)}.jarvis-partial`);
  await rm(partial, { force: true });
  try {
    await copyFile(from, partial, constants.COPYFILE_EXCL);
    await link(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Puts `from` at `to` (hard link, copy or move), only inside `root` and never over an existing
 * file. The destination folder is checked through symlinks before and after it is created.
 * Throws `conflict` when `to` exists, unless `resume` (a retried import) and `to` already holds
 * what this placement would have made: then it answers `already`.
 */
export async function placeFile(
  from: string,
  to: string,
  root: string,
  mode: ImportMode,
  options: { resume?: boolean } = {},
): Promise<"placed" | "already"> {
  const realRoot = await realpath(root).catch(() => {
    throw new JarvisError("invalid_config", `The library root ${root} does not exist`);
  });
  const target = resolve(to);
  if (!inside(target, resolve(root)))
    throw new JarvisError("forbidden", `${to} is outside the library root ${root}`);
  await assertInside(dirname(target), realRoot, "The folder of");
  await mkdir(dirname(target), { recursive: true });
  await assertInside(dirname(target), realRoot, "The folder of");
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    if (options.resume && (await placedAlready(from, target, mode))) return "already";
    throw new JarvisError("conflict", `${to} already exists; it was left as it is`);
  }
  try {
    if (mode === "copy") {
      await copyComplete(from, target);
    } else if (mode === "hardlink") {
      await link(from, target);
    } else {
      // link + unlink never replaces an existing file, unlike rename; across file systems, copy + unlink.
      try {
        await link(from, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
        await copyComplete(from, target);
      }
      await unlink(from);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new JarvisError("conflict", `${to} already exists; it was left as it is`);
    if (code === "EXDEV")
      throw new JarvisError(
        "conflict",
        `${from} and the library are on different file systems, so a hard link is impossible; use mode copy or move`,
      );
    throw new JarvisError("tool_failed", `Could not ${mode} ${from} to ${to}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return "placed";
}
