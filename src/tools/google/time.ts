import { parseDay } from "../../agent/intents/resolve.ts";
import { JarvisError } from "../../errors.ts";

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar bound from a tool argument: an ISO date or date-time (a time without an offset is the
 * server's local time), or a word (today, tomorrow, this week, a weekday), whose start or end is
 * taken. An unreadable value is refused, naming the field.
 */
export function readBound(value: string, field: string, edge: "from" | "to", now = new Date()): Date {
  const range = parseDay(value, now);
  if (range) return new Date(range[edge]);
  const text = dateOnly.test(value) ? `${value}T00:00` : value;
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new JarvisError(
      "invalid_input",
      `${field} must be an ISO date or date-time (2025-06-02T09:00) or today/tomorrow/this week/a weekday; got "${value}"`,
      { details: { field } },
    );
  }
  return new Date(time);
}

/** "90", 90, "1h30m", "2h", "45m", "1.5h" → minutes; refused otherwise. */
export function readDuration(value: number | string): number {
  if (typeof value === "number") return value;
  const text = value.trim().toLowerCase().replace(/\s+/g, "");
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(?:(\d+(?:\.\d+)?)h(?:ours?|rs?)?)?(?:(\d+)m(?:in(?:utes?|s)?)?)?$/.exec(text);
  if (!m || (!m[1] && !m[2])) {
    throw new JarvisError("invalid_input", `duration must be minutes or like 1h30m; got "${value}"`, {
      details: { field: "duration" },
    });
  }
  return Math.round(Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0));
}

/** Whether a start is a whole day (an all-day event). */
export const isDateOnly = (value: string) => dateOnly.test(value);
