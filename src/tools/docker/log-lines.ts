/**
 * Pure helpers for docker_container_logs: splitting Docker's multiplexed log stream, parsing
 * `since` and `grep`. Kept free of I/O so they are unit-tested with hand-made buffers.
 */

export type LogStream = "stdout" | "stderr";

export interface LogLine {
  /** RFC 3339 timestamp Docker recorded for the line (null if the line had none). */
  time: string | null;
  stream: LogStream;
  text: string;
}

/** Longest line we return; a runaway JSON log line must not crowd out every other line. */
export const maxLineChars = 2000;

interface Chunk {
  stream: LogStream;
  text: string;
}

/**
 * True when `buffer` starts with a stdcopy frame header: [stream 0-2, 0, 0, 0, size u32 BE].
 * A TTY container's log is raw text, and guessing wrong would eat 8 bytes of every line.
 */
export function looksMultiplexed(buffer: Buffer): boolean {
  return buffer.length >= 8 && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}

/**
 * Splits Docker's multiplexed stream (8-byte header per frame: stream type, three zero bytes,
 * payload length big-endian) into stdout/stderr chunks. A truncated last frame keeps what arrived.
 */
export function demultiplex(buffer: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset]!;
    const size = buffer.readUInt32BE(offset + 4);
    const end = Math.min(offset + 8 + size, buffer.length);
    chunks.push({
      stream: type === 2 ? "stderr" : "stdout",
      text: buffer.subarray(offset + 8, end).toString("utf8"),
    });
    offset = end;
  }
  return chunks;
}

const timestamped = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/**
 * Turns a raw log buffer (fetched with `timestamps: true`) into lines. `tty` says the container
 * writes raw text (no frames, everything is stdout). Lines longer than `maxLineChars` are cut.
 */
export function parseLogBuffer(buffer: Buffer, tty: boolean): { lines: LogLine[]; cut: boolean } {
  const chunks =
    tty || !looksMultiplexed(buffer)
      ? [{ stream: "stdout" as const, text: buffer.toString("utf8") }]
      : demultiplex(buffer);
  const lines: LogLine[] = [];
  let cut = false;
  for (const chunk of chunks) {
    const parts = chunk.text.split("\n");
    if (parts.at(-1) === "") parts.pop();
    for (const part of parts) {
      const match = timestamped.exec(part);
      let text = (match ? part.slice(match[0].length) : part).replace(/\r$/, "");
      if (text.length > maxLineChars) {
        text = `${text.slice(0, maxLineChars)}… [${text.length - maxLineChars} more characters]`;
        cut = true;
      }
      lines.push({ time: match ? match[1]! : null, stream: chunk.stream, text });
    }
  }
  return { lines, cut };
}

/** A sortable form of Docker's RFC 3339 time: it trims trailing zeros of the nanoseconds. */
function timeKey(time: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(time);
  if (match) return `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}`;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : `${new Date(ms).toISOString().slice(0, -1)}000000`;
}

/**
 * Orders lines by their timestamps. The engine copies stdout and stderr in separate goroutines
 * and stores whichever arrives first, so a log file can hold all of a burst's stdout before its
 * stderr; the timestamps say when each line was read. Without timestamps the order is kept.
 */
export function sortByTime(lines: LogLine[]): LogLine[] {
  if (lines.some((line) => line.time === null)) return lines;
  const keyed = lines.map((line, index) => ({ line, index, key: timeKey(line.time!) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
  return keyed.map((k) => k.line);
}

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * `since` as unix seconds (fractional allowed): a duration back from `nowMs` ("30s", "10m",
 * "2h", "1d", "1h30m"), an ISO timestamp, or unix seconds. Undefined when it is none of these.
 */
export function parseSince(value: string | number, nowMs: number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^(\d+[smhd])+$/i.test(text)) {
    let seconds = 0;
    for (const [, amount, unit] of text.toLowerCase().matchAll(/(\d+)([smhd])/g)) {
      seconds += Number(amount) * unitSeconds[unit!]!;
    }
    return Math.max(0, nowMs / 1000 - seconds);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms / 1000;
  }
  return undefined;
}

/**
 * `grep` as a RegExp: "/pattern/flags" is a regular expression (flags i, m, s, u), anything else a
 * case-insensitive substring. Returns a message instead when the expression does not compile.
 */
export function parseGrep(value: string): RegExp | string {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!literal) return new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  const [, body, flags] = literal;
  // g and y make RegExp.test stateful between lines.
  if (/[^imsu]/.test(flags!)) return `unsupported regular expression flags "${flags}" (use i, m, s or u)`;
  try {
    return new RegExp(body!, flags);
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
}
