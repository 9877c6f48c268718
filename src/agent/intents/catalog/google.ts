import { failure, itemsOf, label, list, plural, summarize } from "../answers.ts";
import { intent } from "../intent.ts";

export const googleIntents = [
  intent({
    name: "calendar.list",
    templates: [
      "(whats|what is|what do i have) (on|in) [my] (calendar|agenda|schedule) [for] [{day}]",
      "(what|which) (events|meetings|appointments) do i have [{day}]",
      "(do i have|are there) any (events|meetings|appointments) {day}",
      "(show|list) [me] [my] (calendar|events|agenda) [for] [{day}]",
      "am i (free|busy) {day}",
      "(do i have|is there) anything [on] {day} [morning|afternoon|evening|night]",
      "(whats|what is) (happening|going on|planned) {day}",
      "when is my {query} [appointment|meeting|event]",
    ],
    slots: { day: "day", query: "text" },
    plan: (s) => {
      const day = s.day as { from: string; to: string } | undefined;
      return [
        {
          tool: "calendar_list_events",
          args: { ...(day ? { from: day.from, to: day.to } : {}), ...(s.query ? { query: s.query } : {}) },
        },
      ];
    },
    answer: (_s, o) => {
      const bad = failure(o, "read the calendar");
      if (bad) return bad;
      const events = itemsOf(o[0]?.output);
      if (!events.length) return "Nothing on the calendar then.";
      return `${plural(events.length, "event")}: ${list(events.map((e) => `${label(e)}${e.start ? ` at ${String(e.start)}` : ""}`))}.`;
    },
  }),
  intent({
    name: "calendar.create",
    templates: [
      "(add|create|schedule|put|book) [a|an] {title} (on|at|for) {when} [to|on|in] [my] [calendar]",
      "(add|create|schedule|put|book) [a|an] {title} [on|to|in] [my] calendar (on|at|for) {when}",
    ],
    slots: { title: "text", when: "when" },
    plan: (s) => [{ tool: "calendar_create_event", args: { title: s.title, start: s.when } }],
    answer: (s, o) => failure(o, `add ${s.title}`) ?? `Added "${s.title}" to the calendar.`,
  }),
  intent({
    name: "gmail.search",
    templates: [
      "(any|do i have any|is there any|did i get any) (mail|email|emails|messages) (from|about) {query} [this week|today|recently]",
      "(search|find|look for) [my] (mail|email|emails|gmail) (for|from|about) {query}",
      "(do i have|any) (new|unread) (mail|email|emails)",
      "(read|check|show) [me] [my] (latest|new|recent|last) (mail|email|emails|messages)",
      "read [me] the (email|mail|message) (from|about) {query}",
    ],
    slots: { query: "text" },
    plan: (s) => [{ tool: "gmail_search", args: { query: s.query ? String(s.query) : "is:unread" } }],
    answer: (s, o) =>
      failure(o, "search the mail") ??
      `Mail${s.query ? ` for "${s.query}"` : ""}: ${summarize(o[0]?.output, "message")}`,
  }),
  intent({
    name: "gmail.send",
    templates: [
      "(send|email|mail) {body} to {to}",
      "(send|write) [an] (email|mail) to {to} (saying|about) {body}",
      "email {to} [that|saying] {body}",
      "(tell|let) {to} know [that] {body}",
    ],
    slots: { body: "text", to: "recipient" },
    plan: (s) => [
      { tool: "gmail_send", args: { to: s.to, subject: String(s.body).slice(0, 60), body: s.body } },
    ],
    answer: (s, o) => failure(o, `send the mail to ${s.to}`) ?? `Sent it to ${s.to}.`,
  }),
  intent({
    name: "drive.list",
    templates: [
      "(list|show|what) [are] [the|my] (files|documents|docs) (in|on) [google] drive",
      "(search|find) [google] drive for {query}",
      "(whats|what is) (in|on) [my] [google] drive",
      "find [the|my] {query} (in|on) [my] [google] drive",
    ],
    slots: { query: "text" },
    plan: (s) => [{ tool: "drive_list", args: s.query ? { query: s.query } : {} }],
    answer: (_s, o) => failure(o, "list Drive") ?? `Drive: ${summarize(o[0]?.output, "file")}`,
  }),
  intent({
    name: "drive.upload",
    templates: ["(upload|copy|put|save) {path} (to|on|in|into) [google] drive"],
    slots: { path: "path" },
    plan: (s) => [{ tool: "drive_upload", args: { path: s.path } }],
    answer: (s, o) => failure(o, `upload ${s.path}`) ?? `Uploaded ${s.path} to Drive.`,
  }),
];
