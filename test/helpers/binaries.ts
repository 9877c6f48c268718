import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const extraDirs = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/lib/postgresql/15/bin"];

/** Finds an installed program, or fails with the Debian package that provides it. */
export function requireBinary(name: string, pkg: string): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // keep looking
    }
  }
  throw new Error(
    `The tests need ${name}, which is not installed. Install it with: apt-get install ${pkg} (or run bash .ci/run)`,
  );
}
