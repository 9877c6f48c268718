import { realpathSync } from "node:fs";
import { dirname, isAbsolute, normalize, relative, sep } from "node:path";
import { JarvisError } from "../../errors.ts";

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
};

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (a restore target to be). */
function realish(path: string): string {
  let head = path;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(head);
      return rest.length ? `${real === sep ? "" : real}${sep}${rest.reverse().join(sep)}` : real;
    } catch {
      const parent = dirname(head);
      if (parent === head) return path;
      rest.push(head.slice(parent.length + (parent === sep ? 0 : 1)));
      head = parent;
    }
  }
}

/**
 * Confines a path to the configured roots: absolute, no `..` segments, and its real location
 * (symlinks resolved) inside a root's real location. Returns the real path; refuses with an error
 * that names the roots otherwise. The path need not exist (a restore target).
 */
export function confine(path: string, roots: readonly string[], what = "path"): string {
  if (!isAbsolute(path)) {
    throw new JarvisError("invalid_input", `The ${what} must be absolute (start with /): ${path}`);
  }
  if (path.split(/[\\/]/).includes("..")) {
    throw new JarvisError("invalid_input", `The ${what} may not contain "..": ${path}`);
  }
  const real = realish(normalize(path));
  for (const root of roots) if (inside(realish(normalize(root)), real)) return real;
  const escaped = real !== normalize(path).replace(/\/$/, "") ? ` (it resolves to ${real})` : "";
  throw new JarvisError(
    "invalid_input",
    `The ${what} ${path}${escaped} is outside the allowed roots (${roots.join(", ")}); set storage.roots to allow it`,
  );
}
