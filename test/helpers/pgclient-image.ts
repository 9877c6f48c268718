import { execFile, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";
import { requireBinary } from "./binaries.ts";

const run = promisify(execFile);
export const pgClientImage = "jarvis-test/pgclient:15-2";

/**
 * A local image with Debian's pg_dump and pg_restore (and the libraries they link, found with
 * ldd) on busybox, each behind a wrapper that appends its name to /tmp/calls, standing in for a database container's own client tools where no registry can
 * be reached. Imported once per engine.
 */
export async function ensurePgClientImage(docker: Docker): Promise<string> {
  try {
    await docker.getImage(pgClientImage).inspect();
    return pgClientImage;
  } catch {
    // build it below
  }
  // The real programs (Debian's /usr/bin/pg_dump is a Perl wrapper that picks a version).
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort() : [];
  const bin = join("/usr/lib/postgresql", versions.at(-1) ?? "none", "bin");
  if (!existsSync(join(bin, "pg_dump")))
    throw new Error(
      "The tests need pg_dump, which is not installed. Install it with: apt-get install postgresql",
    );
  const programs = [join(bin, "pg_dump"), join(bin, "pg_restore")];
  const busybox = requireBinary("busybox", "busybox-static");
  const rootfs = mkdtempSync(join(tmpdir(), "jarvis-pgclient-"));
  try {
    for (const dir of ["bin", "usr/bin", "tmp", "etc", "var/run/postgresql"])
      mkdirSync(join(rootfs, dir), { recursive: true });
    writeFileSync(
      join(rootfs, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999::/var/lib/postgresql:/bin/sh\n",
    );
    copyFileSync(busybox, join(rootfs, "bin/busybox"));
    for (const applet of ["sh", "sleep", "cat", "ls", "echo", "httpd", "wget"])
      symlinkSync("busybox", join(rootfs, "bin", applet));
    const libraries = new Set<string>();
    mkdirSync(join(rootfs, "usr/lib/pgclient"), { recursive: true });
    for (const program of programs) {
      const name = program.split("/").at(-1)!;
      copyFileSync(program, join(rootfs, "usr/lib/pgclient", name));
      // A wrapper that notes each call in /tmp/calls, so a test can tell what ran in the container.
      writeFileSync(
        join(rootfs, "usr/bin", name),
        `#!/bin/sh\necho ${name} >> /tmp/calls\nexec /usr/lib/pgclient/${name} "$@"\n`,
        {
          mode: 0o755,
        },
      );
      const { stdout } = await run("ldd", [program]);
      for (const match of stdout.matchAll(/(\/\S+\.so[^\s]*)/g)) libraries.add(match[1]!);
    }
    for (const library of libraries) {
      mkdirSync(join(rootfs, dirname(library)), { recursive: true });
      copyFileSync(library, join(rootfs, library));
    }
    const tar = spawn(requireBinary("tar", "tar"), ["-C", rootfs, "-c", "."], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [repo, tag] = pgClientImage.split(":");
    const stream: NodeJS.ReadableStream = await docker.importImage(tar.stdout!, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
  return pgClientImage;
}
