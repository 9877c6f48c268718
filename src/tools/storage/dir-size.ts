import { stat } from "node:fs/promises";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { confine } from "./confine.ts";
import { DirSizeInput } from "./schemas.ts";
import { walk } from "./walk.ts";

/** Entries examined at most per call: a few seconds on a local disk, then sizes are marked partial. */
const maxEntries = 200_000;

/** storage_dir_size: du for one directory under the configured roots, biggest children first. */
export const dirSize = defineTool({
  name: "storage_dir_size",
  title: "Directory sizes",
  description:
    "Measures a directory and its biggest subdirectories down to depth levels (default 1), like du -x: it stays on one filesystem, does not follow symlinks and only looks under the configured storage roots. Use it to find what fills a disk.",
  input: DirSizeInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.path,
  timeoutMs: 120_000,
  async run(input, ctx) {
    const roots = ctx.clients.storage?.roots ?? ["/"];
    const path = confine(input.path, roots);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new JarvisError("not_found", `No such directory: ${input.path}`);
    if (!info.isDirectory())
      throw new JarvisError("invalid_input", `${input.path} is a file, not a directory`);
    const result = await walk(path, { depth: input.depth ?? 1, top: 15, maxEntries, signal: ctx.signal });
    return {
      ...result,
      ...(result.partial ? { note: `stopped after ${maxEntries} entries: sizes are lower bounds` } : {}),
    };
  },
});
