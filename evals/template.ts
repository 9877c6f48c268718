/**
 * Placeholders in canned world results, expanded when a tool answers:
 * - `${container}`, `${host:-local}`: the call's argument (a default after `:-`). A string that is
 *   exactly one argument placeholder becomes the argument's value with its own type.
 * - `${now}`, `${now-45m}`, `${now+9d}`: an ISO timestamp relative to the moment of the call.
 * - `${today}`, `${tomorrow 14:30}`, `${yesterday 23:10}`, `${today+3d 09:00}`: a local date, or a
 *   local date and time as ISO with offset, so "today's events" stay today whenever evals run.
 */

const placeholder = /\$\{([^}]+)\}/g;
const timeExpr = /^(now|today|tomorrow|yesterday)(?:([+-])(\d+)([smhd]))?(?: (\d{1,2}):(\d{2}))?$/;
const unitMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const dayOffset: Record<string, number> = { today: 0, tomorrow: 1, yesterday: -1, now: 0 };

const pad = (n: number): string => String(n).padStart(2, "0");

function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${localDate(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

/** A time expression's text, or undefined when `expr` is not one. */
export function expandTime(expr: string, now: Date): string | undefined {
  const m = timeExpr.exec(expr.trim());
  if (!m) return undefined;
  const [, base, sign, amount, unit, hours, minutes] = m;
  const shift = amount ? (sign === "-" ? -1 : 1) * Number(amount) * unitMs[unit!]! : 0;
  if (base === "now") {
    const date = new Date(now.getTime() + shift);
    return hours === undefined ? date.toISOString() : undefined;
  }
  const date = new Date(now);
  date.setDate(date.getDate() + dayOffset[base!]!);
  date.setTime(date.getTime() + shift);
  if (hours === undefined) return localDate(date);
  date.setHours(Number(hours), Number(minutes), 0, 0);
  return localIso(date);
}

function expandString(text: string, args: Record<string, unknown>, now: Date): unknown {
  const whole = /^\$\{([a-zA-Z_][\w]*)(?::-([^}]*))?\}$/.exec(text);
  if (whole && expandTime(whole[1]!, now) === undefined) {
    return args[whole[1]!] ?? whole[2] ?? text;
  }
  return text.replace(placeholder, (match, expr: string) => {
    const time = expandTime(expr, now);
    if (time !== undefined) return time;
    const [name, fallback] = expr.split(":-", 2) as [string, string | undefined];
    const value = args[name.trim()];
    if (value === undefined || value === null) return fallback ?? match;
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

/** Expands placeholders in every string of a canned value; other values are returned as they are. */
export function expandTemplate(value: unknown, args: Record<string, unknown>, now = new Date()): unknown {
  if (typeof value === "string") return value.includes("${") ? expandString(value, args, now) : value;
  if (Array.isArray(value)) return value.map((item) => expandTemplate(item, args, now));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandTemplate(item, args, now)]),
    );
  }
  return value;
}
