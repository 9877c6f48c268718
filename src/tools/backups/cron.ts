import { JarvisError } from "../../errors.ts";

/** A parsed five-field cron expression: the allowed values of each field. */
export interface Cron {
  minute: Set<number>;
  hour: Set<number>;
  day: Set<number>;
  month: Set<number>;
  weekday: Set<number>;
  /** Both day fields restricted: cron matches either (as Vixie cron does). */
  dayOr: boolean;
}

const ranges = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;
const names = ["minute", "hour", "day of month", "month", "day of week"];

function field(text: string, index: number): Set<number> {
  const [lo, hi] = ranges[index]!;
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${names[index]} "${part}"`);
    const start = m[1] === "*" ? lo : Number(m[2]);
    const end = m[1] === "*" ? hi : m[3] !== undefined ? Number(m[3]) : m[4] ? hi : start;
    const step = m[4] ? Number(m[4]) : 1;
    if (start < lo || end > hi || start > end || step < 1)
      throw new Error(`${names[index]} "${part}" is out of range ${lo}-${hi}`);
    for (let v = start; v <= end; v += step) out.add(index === 4 && v === 7 ? 0 : v);
  }
  return out;
}

const aliases: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
};

/** Parses "m h dom mon dow" (numbers, *, ranges, lists, steps) or @hourly/@daily/@weekly/@monthly. */
export function parseCron(expression: string): Cron {
  const parts = (aliases[expression.trim()] ?? expression).trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new JarvisError(
      "invalid_config",
      `Invalid cron "${expression}": five fields (minute hour day month weekday)`,
    );
  }
  try {
    const [minute, hour, day, month, weekday] = parts.map(field) as [
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
      Set<number>,
    ];
    return { minute, hour, day, month, weekday, dayOr: parts[2] !== "*" && parts[4] !== "*" };
  } catch (error) {
    throw new JarvisError("invalid_config", `Invalid cron "${expression}": ${(error as Error).message}`);
  }
}

function matches(c: Cron, d: Date): boolean {
  if (!c.minute.has(d.getMinutes()) || !c.hour.has(d.getHours()) || !c.month.has(d.getMonth() + 1))
    return false;
  const dom = c.day.has(d.getDate());
  const dow = c.weekday.has(d.getDay());
  return c.dayOr ? dom || dow : dom && dow;
}

/** The first minute strictly after `after` that the expression matches (local time); searches up to a year ahead. */
export function nextRun(c: Cron, after: Date): Date {
  const d = new Date(after);
  d.setSeconds(0, 0);
  d.setMinutes(d.getMinutes() + 1);
  for (let i = 0; i < 366 * 24 * 60; i++) {
    if (matches(c, d)) return d;
    d.setMinutes(d.getMinutes() + 1);
  }
  throw new JarvisError("invalid_config", "The cron expression never matches within a year");
}
