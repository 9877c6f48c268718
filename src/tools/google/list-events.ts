import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { googleOf } from "./google-of.ts";
import type { CalendarEvent } from "./schemas.ts";
import { readBound } from "./time.ts";

const when = () =>
  z
    .string()
    .min(1)
    .max(64)
    .describe("ISO date or date-time (2025-06-02T09:00), or today / tomorrow / this week / a weekday");

/** An event as people and models read it. */
export function viewEvent(e: CalendarEvent) {
  return {
    id: e.id,
    title: e.summary ?? "(no title)",
    start: e.start.dateTime ?? e.start.date,
    end: e.end?.dateTime ?? e.end?.date,
    allDay: Boolean(e.start.date && !e.start.dateTime),
    ...(e.location ? { location: e.location } : {}),
    ...(e.attendees?.length ? { attendees: e.attendees.flatMap((a) => (a.email ? [a.email] : [])) } : {}),
  };
}

/** calendar_list_events: events in a time range (default: now until the end of tomorrow). */
export const listEvents = defineTool({
  name: "calendar_list_events",
  title: "List calendar events",
  description:
    "Lists Google Calendar events between from and to (default: from now until the end of tomorrow), optionally matching query, with title, start, end, location and attendees.",
  input: z.strictObject({
    from: when().optional(),
    to: when().optional(),
    query: z.string().min(1).max(256).optional(),
    max: z.number().int().min(1).max(250).optional(),
  }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    const google = googleOf(ctx);
    const now = new Date();
    const from = input.from ? readBound(input.from, "from", "from", now) : now;
    // "to: tomorrow" means until tomorrow ends; a bare `from` day means that day.
    const to = input.to
      ? readBound(input.to, "to", "to", now)
      : input.from
        ? readBound(input.from, "from", "to", now)
        : readBound("tomorrow", "to", "to", now);
    if (to <= from) {
      throw new JarvisError(
        "invalid_input",
        `to (${to.toISOString()}) must be after from (${from.toISOString()})`,
      );
    }
    const { items, more } = await google.listEvents(
      { timeMin: from.toISOString(), timeMax: to.toISOString(), q: input.query, max: input.max ?? 50 },
      ctx.signal,
    );
    return {
      calendar: google.calendarId,
      from: from.toISOString(),
      to: to.toISOString(),
      events: items.filter((e) => e.status !== "cancelled").map(viewEvent),
      ...(more ? { more: true } : {}),
    };
  },
});
