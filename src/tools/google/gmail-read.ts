import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { googleOf } from "./google-of.ts";
import { bodyText, header, viewSummary } from "./mail-view.ts";

/** The longest body handed back: a mail is read, not archived. */
const maxBody = 8000;

/** gmail_read: one message's headers and plain-text body (bounded). */
export const gmailRead = defineTool({
  name: "gmail_read",
  title: "Read email",
  description: `Reads one Gmail message by id (from gmail_search): headers and plain-text body (at most ${maxBody} characters).`,
  input: z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "a Gmail message id") }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const message = await googleOf(ctx).getMessage(input.id, ctx.signal);
    const { snippet: _snippet, ...summary } = viewSummary(message);
    return { ...summary, to: header(message, "To") ?? "", ...bodyText(message, maxBody) };
  },
});
