import { posix } from "node:path";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { isInside, toPlexPath } from "./path-map.ts";
import { findSection, plexOf } from "./plex-of.ts";

/** plex_scan_library: scan one library, or only one folder of it. */
export const scanLibrary = defineTool({
  name: "plex_scan_library",
  title: "Scan Plex library",
  description:
    "Asks Plex to scan a library (or only path inside it) for new or changed files. path may be as Jarvis or as Plex sees it; it must lie inside one of the library's folders.",
  input: z.strictObject({
    library: z.string().trim().min(1).max(128).describe("library title (Movies) or key"),
    path: z
      .string()
      .min(1)
      .max(4096)
      .refine((p) => p.startsWith("/"), "an absolute path")
      .refine((p) => !p.split("/").includes(".."), "no '..' segments")
      .optional(),
  }),
  risk: "write",
  idempotent: true,
  target: (input) => input.library,
  async run(input, ctx) {
    const plex = plexOf(ctx);
    const section = await findSection(plex, input.library, ctx.signal);
    let path: string | undefined;
    if (input.path) {
      path = toPlexPath(input.path, ctx.clients.media?.pathMap ?? []);
      const folders = section.Location.map((l) => l.path);
      if (!folders.some((folder) => isInside(path!, folder))) {
        throw new JarvisError(
          "invalid_input",
          `${input.path} is not inside the ${section.title} library's folders (${folders.join(", ")}); give a folder inside one of them, or no path to scan the whole library`,
          { details: { path: input.path } },
        );
      }
      path = posix.normalize(path);
    }
    await plex.refresh(section.key, path, ctx.signal);
    return { library: section.title, key: section.key, path: path ?? null, scanning: true };
  },
});
