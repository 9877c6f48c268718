import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { googleOf } from "./google-of.ts";
import { viewSummary } from "./mail-view.ts";

/** gmail_search: messages matching a Gmail query; headers and snippet, never bodies. */
export const gmailSearch = defineTool({
  name: "gmail_search",
  title: "Search Gmail",
  description:
    "Searches Gmail with Gmail's query syntax (from:, subject:, is:unread, newer_than:2d…) and returns up to max (default 10) messages: id, from, subject, date, snippet.",
  input: z.strictObject({
    query: z.string().max(512),
    max: z.number().int().min(1).max(50).optional(),
  }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const google = googleOf(ctx);
    const { items, more } = await google.searchMessages(input.query, input.max ?? 10, ctx.signal);
    return { query: input.query, messages: items.map(viewSummary), ...(more ? { more: true } : {}) };
  },
});
