import { describe, expect, it } from "vitest";
import {
  demultiplex,
  type LogLine,
  looksMultiplexed,
  maxLineChars,
  parseGrep,
  parseLogBuffer,
  parseSince,
  sortByTime,
} from "./log-lines.ts";

/** One stdcopy frame: [stream, 0, 0, 0, length u32 BE] + payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("demultiplex", () => {
  it("splits frames into stdout and stderr in order", () => {
    const buffer = Buffer.concat([frame(1, "a\n"), frame(2, "b\n"), frame(1, "c\n")]);
    expect(demultiplex(buffer)).toEqual([
      { stream: "stdout", text: "a\n" },
      { stream: "stderr", text: "b\n" },
      { stream: "stdout", text: "c\n" },
    ]);
  });

  it("keeps a frame longer than 255 bytes intact (the length is a 32-bit field)", () => {
    const long = "x".repeat(70_000);
    expect(demultiplex(frame(2, long))).toEqual([{ stream: "stderr", text: long }]);
  });

  it("keeps what arrived of a truncated last frame", () => {
    const whole = frame(1, "hello world\n");
    expect(demultiplex(whole.subarray(0, 13))).toEqual([{ stream: "stdout", text: "hello" }]);
  });

  it("recognises a multiplexed buffer but not plain text", () => {
    expect(looksMultiplexed(frame(1, "x\n"))).toBe(true);
    expect(looksMultiplexed(Buffer.from("2026-01-01T00:00:00Z hello\n"))).toBe(false);
  });
});

describe("parseLogBuffer", () => {
  const t1 = "2026-11-26T15:20:57.695854692Z";
  const t2 = "2026-11-26T15:20:58.000000001Z";

  it("parses timestamps and streams from a multiplexed log", () => {
    const buffer = Buffer.concat([frame(1, `${t1} out-1\n`), frame(2, `${t2} err-1\n`)]);
    expect(parseLogBuffer(buffer, false)).toEqual({
      lines: [
        { time: t1, stream: "stdout", text: "out-1" },
        { time: t2, stream: "stderr", text: "err-1" },
      ],
      cut: false,
    });
  });

  it("treats a TTY log as raw stdout text and drops carriage returns", () => {
    const buffer = Buffer.from(`${t1} one\r\n${t2} two\r\n`);
    expect(parseLogBuffer(buffer, true).lines).toEqual([
      { time: t1, stream: "stdout", text: "one" },
      { time: t2, stream: "stdout", text: "two" },
    ]);
  });

  it("keeps an empty line and a line without timestamp", () => {
    const buffer = Buffer.concat([frame(1, `${t1} \n`), frame(1, "no stamp\n")]);
    expect(parseLogBuffer(buffer, false).lines).toEqual([
      { time: t1, stream: "stdout", text: "" },
      { time: null, stream: "stdout", text: "no stamp" },
    ]);
  });

  it("cuts lines longer than the bound and says so", () => {
    const { lines, cut } = parseLogBuffer(frame(1, `${t1} ${"y".repeat(maxLineChars + 500)}\n`), false);
    expect(cut).toBe(true);
    expect(lines[0]!.text.startsWith("y".repeat(maxLineChars))).toBe(true);
    expect(lines[0]!.text).toContain("500 more characters");
  });

  it("returns nothing for an empty log", () => {
    expect(parseLogBuffer(Buffer.alloc(0), false)).toEqual({ lines: [], cut: false });
  });
});

describe("sortByTime", () => {
  const line = (time: string | null, text: string): LogLine => ({ time, stream: "stdout", text });

  it("orders by time although Docker trims trailing zeros of the nanoseconds", () => {
    const lines = [
      line("2026-11-26T15:28:25.614463808Z", "out-1"),
      line("2026-11-26T15:28:25.6144Z", "err-1"),
      line("2026-11-26T15:28:25Z", "first"),
      line("2026-11-26T15:28:25.614463808Z", "same time, later in the file"),
    ];
    expect(sortByTime(lines).map((l) => l.text)).toEqual([
      "first",
      "err-1",
      "out-1",
      "same time, later in the file",
    ]);
  });

  it("keeps file order when a line has no timestamp", () => {
    const lines = [line("2026-11-26T15:28:26Z", "b"), line(null, "a")];
    expect(sortByTime(lines)).toEqual(lines);
  });
});

describe("parseSince", () => {
  const now = Date.parse("2026-01-02T00:00:00Z");

  it("reads durations back from now", () => {
    expect(parseSince("30s", now)).toBe(now / 1000 - 30);
    expect(parseSince("10m", now)).toBe(now / 1000 - 600);
    expect(parseSince("2h", now)).toBe(now / 1000 - 7200);
    expect(parseSince("1d", now)).toBe(now / 1000 - 86400);
    expect(parseSince("1h30m", now)).toBe(now / 1000 - 5400);
  });

  it("reads ISO timestamps and unix seconds", () => {
    expect(parseSince("2026-01-01T12:00:00Z", now)).toBe(Date.parse("2026-01-01T12:00:00Z") / 1000);
    expect(parseSince("1767225600", now)).toBe(1767225600);
    expect(parseSince("1767225600.5", now)).toBe(1767225600.5);
    expect(parseSince(1767225600, now)).toBe(1767225600);
  });

  it("rejects anything else", () => {
    for (const bad of ["", "yesterday", "10 minutes", "5w", "-3", "2026-13-45T99:00:00Z"]) {
      expect(parseSince(bad, now), bad).toBeUndefined();
    }
  });
});

describe("parseGrep", () => {
  it("matches plain text case-insensitively and literally", () => {
    const re = parseGrep("Error (5xx)") as RegExp;
    expect(re.test("an ERROR (5XX) happened")).toBe(true);
    expect(re.test("error 5xx")).toBe(false);
  });

  it("compiles /regex/ with flags", () => {
    const re = parseGrep("/^err-\\d$/") as RegExp;
    expect(re.test("err-1")).toBe(true);
    expect(re.test("ERR-1")).toBe(false);
    expect((parseGrep("/^err/i") as RegExp).test("ERR-1")).toBe(true);
  });

  it("returns a message for a broken expression or stateful flags", () => {
    expect(parseGrep("/(unclosed/")).toMatch(/not a valid regular expression/);
    expect(parseGrep("/x/g")).toMatch(/unsupported regular expression flags "g"/);
  });
});
