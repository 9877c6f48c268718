import type { GmailMessage, GmailPart } from "./schemas.ts";

/** A header of a message, by name (any case). */
export function header(message: GmailMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return message.payload.headers?.find((h) => h.name.toLowerCase() === wanted)?.value;
}

/** The fields a listing shows: never the body. */
export function viewSummary(message: GmailMessage) {
  const date = header(message, "Date");
  const internal = message.internalDate ? new Date(Number(message.internalDate)) : undefined;
  return {
    id: message.id,
    from: header(message, "From") ?? "",
    subject: header(message, "Subject") ?? "(no subject)",
    date: internal?.toISOString() ?? date ?? "",
    snippet: message.snippet,
    ...(message.labelIds?.includes("UNREAD") ? { unread: true } : {}),
  };
}

const decode = (data: string) => Buffer.from(data, "base64url").toString("utf8");

function findPart(part: GmailPart, mimeType: string): GmailPart | undefined {
  if (part.mimeType === mimeType && part.body?.data && !part.filename) return part;
  for (const child of part.parts ?? []) {
    const found = findPart(child, mimeType);
    if (found) return found;
  }
  return undefined;
}

/** Tags removed, entities for the common characters decoded: enough to read an HTML-only mail. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The plain-text body (or the HTML one as text), at most `max` characters. */
export function bodyText(message: GmailMessage, max: number): { body: string; truncated: boolean } {
  const plain = findPart(message.payload, "text/plain");
  const html = plain ? undefined : findPart(message.payload, "text/html");
  const text = plain?.body?.data
    ? decode(plain.body.data)
    : html?.body?.data
      ? htmlToText(decode(html.body.data))
      : message.snippet;
  return text.length > max ? { body: text.slice(0, max), truncated: true } : { body: text, truncated: false };
}
