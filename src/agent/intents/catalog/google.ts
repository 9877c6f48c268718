import { failure, itemsOf, label, list, plural, summarize } from "../answers.ts";
import { intent } from "../intent.ts";
import { parseDay } from "../resolve.ts";
import { backupReport } from "./backup-report.ts";

/** How far back "this week", "today", "recently" look in Gmail (newer_than:). */
const periods = {
  today: "1d",
  yesterday: "2d",
  recently: "3d",
  lately: "3d",
  "this week": "7d",
  "the last week": "7d",
  "this month": "30d",
} as const;

/**
 * A Gmail query from what was said: a named sender is `from:` ("from sam", "from fibrenet.example");
 * a described one ("my ISP", "the bank") is searched as words, since only the mail says who that is.
 */
export function gmailQuery(slots: { sender?: unknown; query?: unknown; period?: unknown }): string {
  const parts: string[] = [];
  const sender = slots.sender ? String(slots.sender) : undefined;
  if (sender) {
    const described = /^(my|the|our) /.test(sender);
    const name = sender.replace(/^(my|the|our) /, "");
    parts.push(described ? name : `from:${name.includes(" ") ? `"${name}"` : name}`);
  }
  if (slots.query) parts.push(String(slots.query));
  if (slots.period) parts.push(`newer_than:${slots.period}`);
  return parts.join(" ") || "is:unread";
}

const dayWords = /\s+(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;

/**
 * "lunch with sam tomorrow" + 12:30 (taken as today): the day said before "at" belongs to the time,
 * not to the title.
 */
export function titleAndStart(title: string, start: string, now: Date): { title: string; start: string } {
  const m = dayWords.exec(title);
  const range = m ? parseDay(m[1]!, now) : undefined;
  if (!m || !range) return { title, start };
  const at = new Date(start);
  const day = new Date(range.from);
  day.setHours(at.getHours(), at.getMinutes(), 0, 0);
  return { title: title.slice(0, m.index), start: day.toISOString() };
}

const dayOf = (now: Date) =>
  `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;

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
      "(whats|what is) on {day}",
      "what time is [my|the] {query} [appointment|meeting|event]",
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
      "(add|create|schedule|put|book) [a|an] {title} (on|at) {when} for {hours} [to|on|in] [my] [calendar]",
      "(add|create|schedule|put|book) [a|an] {title} [on|to|in] [my] calendar (on|at|for) {when}",
      "(add|create|schedule|put|book|block) [out] [a|an] {title} [on|for] {span} [to|on|in] [my] [calendar]",
      "(add|create|schedule|put|book) [a|an] {title} (to|in|on) [my] calendar [on|for] {span}",
      // Last: a time said without "on"/"at" ("lunch with lee tomorrow 1pm") loses ties to spans.
      "(add|create|schedule|put|book) [a|an] {title} {when} [to|on|in] [my] [calendar]",
    ],
    slots: { title: "text", when: "when", span: "span", hours: "hours" },
    plan: (s, ctx) => {
      const span = s.span as { start: string; end: string } | undefined;
      if (span) {
        return [
          { tool: "calendar_create_event", args: { title: s.title, start: span.start, end: span.end } },
        ];
      }
      const event = titleAndStart(String(s.title), String(s.when), ctx.now);
      const hours = typeof s.hours === "number" ? { duration: Math.round(s.hours * 60) } : {};
      return [{ tool: "calendar_create_event", args: { ...event, ...hours } }];
    },
    answer: (s, o, ctx) => {
      const title = s.span ? String(s.title) : titleAndStart(String(s.title), String(s.when), ctx.now).title;
      return failure(o, `add ${title}`) ?? `Added "${title}" to the calendar.`;
    },
  }),
  intent({
    name: "gmail.search",
    templates: [
      "(any|do i have any|is there any|did i get any) (mail|email|emails|messages) from {sender} {period}",
      "(any|do i have any|is there any|did i get any) (mail|email|emails|messages) from {sender}",
      "(any|do i have any|is there any|did i get any) (mail|email|emails|messages) about {query} [{period}]",
      "(search|find|look for) [my] (mail|email|emails|gmail) (for|about) {query}",
      "(search|find|look for) [my] (mail|email|emails|gmail) from {sender} [{period}]",
      "(do i have|any) (new|unread) (mail|email|emails)",
      "(read|check|show) [me] [my] (latest|new|recent|last) (mail|email|emails|messages)",
      "(did|has) {sender} (email|emailed|mail|mailed|write|written|written to) [me] {period}",
      "(did i get|do i have|are there|is there) any {query} (email|emails|mail|mails|messages)",
      "what did {sender} (say|write) [to me] about {query}",
    ],
    slots: { query: "text", sender: "text", period: { type: "word", values: periods } },
    plan: (s) => [{ tool: "gmail_search", args: { query: gmailQuery(s) } }],
    answer: (s, o) =>
      failure(o, "search the mail") ??
      `Mail${s.sender || s.query ? ` for "${gmailQuery(s)}"` : ""}: ${summarize(o[0]?.output, "message")}`,
  }),
  intent({
    name: "backup.report.send",
    templates: [
      "(send|email|mail) [me] [the|my] [last nights|nightly|todays|latest] (backup|backups) (report|summary|status) [to {to}]",
      "(send|email|mail) {to} [the|my] [last nights|nightly|todays|latest] (backup|backups) (report|summary|status)",
    ],
    slots: { to: "recipient" },
    plan: () => [{ tool: "backup_list", args: {} }],
    next: (s, o, ctx) =>
      o.length === 1 && !o[0]!.error && !o[0]!.denied
        ? [
            {
              tool: "gmail_send",
              args: {
                to: s.to ?? "me",
                subject: `Backup report ${dayOf(ctx.now)}`,
                body: backupReport(o[0]!.output, ctx.now),
              },
            },
          ]
        : undefined,
    answer: (s, o) =>
      failure(o.slice(0, 1), "read the backups") ??
      failure(o.slice(1), `send the backup report to ${s.to ?? "you"}`) ??
      `Sent the backup report to ${s.to && s.to !== "me" && s.to !== "myself" ? s.to : "you"}.`,
  }),
  intent({
    name: "backup.report.upload",
    templates: [
      "(upload|save|put|copy) [the|my] [last nights|nightly|todays|latest] (backup|backups) (report|summary|status) (to|on|in|into) [google] drive",
    ],
    plan: () => [{ tool: "backup_list", args: {} }],
    next: (_s, o, ctx) =>
      o.length === 1 && !o[0]!.error && !o[0]!.denied
        ? [
            {
              tool: "drive_upload",
              args: {
                name: `backup-report-${dayOf(ctx.now)}.txt`,
                content: backupReport(o[0]!.output, ctx.now),
              },
            },
          ]
        : undefined,
    answer: (_s, o, ctx) =>
      failure(o.slice(0, 1), "read the backups") ??
      failure(o.slice(1), "upload the backup report") ??
      `Uploaded backup-report-${dayOf(ctx.now)}.txt to Drive.`,
  }),
  intent({
    name: "gmail.send",
    templates: [
      "(send|email|mail) {body} to {to}",
      "(send|write) [an] (email|mail) to {to} (saying|about) {body}",
      "email {to} [that|saying] {body}",
      "(tell|let) {to} know [that] {body}",
      "reply to {to} (saying|that) {body}",
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
      "(where is|wheres|find) [the|my] {query} (pdf|file|document|doc|spreadsheet|sheet)",
      "(whats|what is) in [my|the] {folder} folder (on|in) [google] drive",
      "(list|show) [me] [the] [files in] [my|the] {folder} folder (on|in) [google] drive",
    ],
    slots: { query: "text", folder: "text" },
    plan: (s) => [
      { tool: "drive_list", args: s.folder ? { folder: s.folder } : s.query ? { query: s.query } : {} },
    ],
    answer: (_s, o) => failure(o, "list Drive") ?? `Drive: ${summarize(o[0]?.output, "file")}`,
  }),
  intent({
    name: "drive.upload",
    templates: [
      "(upload|copy|put|save) {path} (to|on|in|into) [google] drive",
      "(upload|copy|put|save) {path} (to|into|in) [the|my] {folder} folder (on|in) [google] drive",
    ],
    slots: { path: "path", folder: "text" },
    plan: (s) => [
      { tool: "drive_upload", args: { path: s.path, ...(s.folder ? { folder: s.folder } : {}) } },
    ],
    answer: (s, o) => failure(o, `upload ${s.path}`) ?? `Uploaded ${s.path} to Drive.`,
  }),
];
