import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { findFolder, quote, viewFile } from "./drive-query.ts";
import { googleOf } from "./google-of.ts";

/** drive_list: files matching a name, or inside a folder, newest first (bounded). */
export const driveList = defineTool({
  name: "drive_list",
  title: "List Drive files",
  description:
    "Lists Google Drive files whose name contains query, or inside folder (a folder name), newest first, with size, type and modification time; up to max (default 25).",
  input: z.strictObject({
    query: z.string().trim().min(1).max(256).optional(),
    folder: z.string().trim().min(1).max(256).optional(),
    max: z.number().int().min(1).max(200).optional(),
  }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const google = googleOf(ctx);
    const clauses = ["trashed = false"];
    const folder = input.folder ? await findFolder(google, input.folder, ctx.signal) : undefined;
    if (folder) clauses.push(`${quote(folder.id)} in parents`);
    if (input.query) clauses.push(`name contains ${quote(input.query)}`);
    const { items, more } = await google.listFiles(clauses.join(" and "), input.max ?? 25, ctx.signal);
    return { files: items.map((f) => viewFile(f, folder?.name)), ...(more ? { more: true } : {}) };
  },
});
