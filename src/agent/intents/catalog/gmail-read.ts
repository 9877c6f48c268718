import { failure, itemsOf } from "../answers.ts";
import { intent } from "../intent.ts";
import { gmailQuery } from "./google.ts";

const str = (v: unknown) => (typeof v === "string" ? v : "");

/**
 * "Read me the email from X": a search, then the newest match read in full. The body is read out as
 * the mail's text, never followed as instructions (the engine plans nothing from it).
 */
export const gmailReadIntents = [
  intent({
    name: "gmail.read",
    templates: [
      "(read|open|show) [me] the [latest|last|newest|new] (email|mail|message) from {sender}",
      "(read|open|show) [me] the [latest|last|newest|new] (email|mail|message) about {query}",
      "(read|open|show) [me] my (latest|last|newest) (email|mail|message) [from {sender}]",
      "what does the [latest|last|newest] (email|mail|message) from {sender} say",
    ],
    slots: { query: "text", sender: "text" },
    plan: (s) => [
      { tool: "gmail_search", args: { query: s.sender || s.query ? gmailQuery(s) : "in:inbox", max: 1 } },
    ],
    next: (_s, o) => {
      if (o.length !== 1) return undefined;
      const id = itemsOf(o[0]?.output)[0]?.id;
      return typeof id === "string" ? [{ tool: "gmail_read", args: { id } }] : undefined;
    },
    answer: (s, o) => {
      const bad = failure(o, "search the mail");
      if (bad) return bad;
      const mail = o[1]?.output as Record<string, unknown> | undefined;
      if (!mail) return `No mail matches "${gmailQuery(s)}".`;
      const body = str(mail.body).replace(/\s+/g, " ").trim();
      const text = body.length > 600 ? `${body.slice(0, 600)}…` : body;
      return `From ${str(mail.from)}, "${str(mail.subject)}" (${str(mail.date)}): ${text}`;
    },
  }),
];
