import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { googleOf } from "./google-of.ts";
import { viewEvent } from "./list-events.ts";
import { isDateOnly, readBound, readDuration } from "./time.ts";

const iso = () => z.string().min(1).max(64).describe("ISO date-time, e.g. 2025-06-07T02:00 (local time)");

/** calendar_create_event: adds one event (a write: asks by default). */
export const createEvent = defineTool({
  name: "calendar_create_event",
  title: "Create calendar event",
  description:
    "Creates a Google Calendar event. start is an ISO date-time (or a date for an all-day event); give end or duration (minutes or '1h30m'), default one hour.",
  input: z.strictObject({
    title: z.string().trim().min(1).max(256),
    start: iso(),
    end: iso().optional(),
    duration: z.union([z.number().int().positive().max(10_080), z.string().min(1).max(16)]).optional(),
    location: z.string().max(256).optional(),
    description: z.string().max(4000).optional(),
  }),
  risk: "write",
  target: (input) => input.title,
  async run(input, ctx) {
    const google = googleOf(ctx);
    if (input.end && input.duration !== undefined) {
      throw new JarvisError("invalid_input", "Give end or duration, not both");
    }
    let start: { dateTime?: string; date?: string };
    let end: { dateTime?: string; date?: string };
    if (isDateOnly(input.start)) {
      // An all-day event: Google's end date is exclusive.
      const first = readBound(input.start, "start", "from");
      const last = input.end ? readBound(input.end, "end", "from") : first;
      const after = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
      const day = (d: Date) =>
        `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
      start = { date: day(first) };
      end = { date: day(after) };
    } else {
      const from = readBound(input.start, "start", "from");
      const to = input.end
        ? readBound(input.end, "end", "from")
        : new Date(from.getTime() + readDuration(input.duration ?? 60) * 60_000);
      if (to <= from) throw new JarvisError("invalid_input", "The event must end after it starts");
      start = { dateTime: from.toISOString() };
      end = { dateTime: to.toISOString() };
    }
    const event = await google.insertEvent(
      { summary: input.title, start, end, location: input.location, description: input.description },
      ctx.signal,
    );
    return { ...viewEvent(event), created: true };
  },
});
