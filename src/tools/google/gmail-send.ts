import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import { googleOf } from "./google-of.ts";

const address = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[a-z]{2,}$/i;
const oneLine = (v: string) => !/[\r\n]/.test(v);

/** The recipients, with "me" / "myself" as the authorised account's address. */
async function recipients(to: string, ctx: ToolContext): Promise<string[]> {
  const list = to
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const resolved: string[] = [];
  for (const item of list) {
    if (/^(me|myself)$/i.test(item)) resolved.push(await googleOf(ctx).profileEmail(ctx.signal));
    else if (address.test(item)) resolved.push(item);
    else {
      throw new JarvisError("invalid_input", `"${item}" is not an email address (or "me")`, {
        details: { field: "to" },
      });
    }
  }
  if (!resolved.length) throw new JarvisError("invalid_input", "to names no recipient");
  return [...new Set(resolved)];
}

/** RFC 2047 for a header with non-ASCII characters. */
const encodeHeader = (value: string) =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;

/** A plain-text RFC 2822 message; the body base64-encoded so any text survives transport. */
export function buildMessage(to: string[], subject: string, body: string): string {
  const encoded = Buffer.from(body, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
  return [
    `To: ${to.join(", ")}`,
    `Subject: ${encodeHeader(subject)}`,
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
    "Content-Transfer-Encoding: base64",
    "",
    encoded,
  ].join("\r\n");
}

/** gmail_send: sends a plain-text mail (a write: the approval names recipient and subject). */
export const gmailSend = defineTool({
  name: "gmail_send",
  title: "Send email",
  description:
    'Sends a plain-text email from the owner\'s Gmail account. to: one or more addresses, comma-separated, or "me".',
  input: z.strictObject({
    to: z.string().min(1).max(512).refine(oneLine, "to may not contain line breaks"),
    subject: z.string().max(512).refine(oneLine, "subject may not contain line breaks"),
    body: z.string().max(20_000),
  }),
  risk: "write",
  openWorld: true,
  // The approval names who gets it, with "me" resolved to the real address.
  target: async (input, ctx) => (await recipients(input.to, ctx)).join(", "),
  warn: async (input) => `Sends "${input.subject || "(no subject)"}" (${input.body.length} characters)`,
  async run(input, ctx) {
    const to = await recipients(input.to, ctx);
    const sent = await googleOf(ctx).sendMessage(buildMessage(to, input.subject, input.body), ctx.signal);
    return { id: sent.id, to: to.join(", "), subject: input.subject, sent: true };
  },
});
