import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { plexOf } from "./plex-of.ts";

/** plex_search: titles across every library. */
export const search = defineTool({
  name: "plex_search",
  title: "Search Plex",
  description: "Searches every Plex library for movies, shows, episodes, artists and albums matching query.",
  input: z.strictObject({
    query: z.string().trim().min(1).max(256),
    limit: z.number().int().min(1).max(100).optional().describe("most results (20)"),
  }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const items = await plexOf(ctx).search(input.query, input.limit ?? 20, ctx.signal);
    return {
      query: input.query,
      results: items.map((item) => ({
        title:
          item.type === "episode" && item.grandparentTitle
            ? `${item.grandparentTitle}: ${item.title}`
            : item.title,
        type: item.type,
        year: item.year,
        library: item.librarySectionTitle,
        seasons: item.type === "show" ? item.childCount : undefined,
        episodes: item.type === "show" ? item.leafCount : undefined,
      })),
    };
  },
});
