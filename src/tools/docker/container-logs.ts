import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { onHost } from "./docker-error.ts";
import { type LogLine, parseGrep, parseLogBuffer, parseSince, sortByTime } from "./log-lines.ts";
import { containerTarget, resolveInput } from "./resolve.ts";
import { ContainerLogsInput } from "./schemas.ts";

/** With grep, how far back we look for matches: enough for an incident, bounded for the engine. */
export const grepScanLines = 10_000;

export interface LogsResult {
  container: string;
  host: string;
  lines: LogLine[];
  /** More log exists than was returned (older lines, more matches, or lines cut at 2000 characters). */
  truncated: boolean;
}

/** docker_container_logs: the last lines of a container's log, split into stdout and stderr. */
export const containerLogs = defineTool({
  name: "docker_container_logs",
  title: "Container logs",
  description:
    'Returns the last `tail` (default 100) log lines of a container, each with timestamp, stream (stdout or stderr) and text. since limits to recent lines ("10m", "2h", an ISO time); grep keeps matching lines only (case-insensitive text, or /regex/), scanning the last 10000 lines. Use it to see why a container fails.',
  input: ContainerLogsInput,
  risk: "read",
  target: containerTarget,
  async run(input, ctx): Promise<LogsResult> {
    const { host, id, name } = await resolveInput(input, ctx);
    const what = `container "${name}"`;
    const container = host.docker.getContainer(id);
    // Only a container without a TTY has its log multiplexed into stdout/stderr frames.
    const info = await onHost(host, ctx.signal, (signal) => container.inspect({ abortSignal: signal }), {
      what,
    });
    const matcher = input.grep === undefined ? undefined : parseGrep(input.grep);
    if (typeof matcher === "string")
      throw new JarvisError("invalid_input", `grep: ${matcher}`, { details: { field: "grep" } });
    const since = input.since === undefined ? undefined : parseSince(input.since, Date.now());
    // One line more than asked for tells us whether older lines exist.
    const window = matcher ? grepScanLines : input.tail + 1;
    const raw: unknown = await onHost(
      host,
      ctx.signal,
      (signal) =>
        container.logs({
          ...{ stdout: true, stderr: true, timestamps: true, follow: false, tail: window },
          ...(since === undefined ? {} : { since }),
          abortSignal: signal,
        }),
      { what, deadlineMs: 30_000 },
    );
    // docker-modem parses a body that happens to be valid JSON; give it back its bytes.
    const buffer = Buffer.isBuffer(raw)
      ? raw
      : Buffer.from(typeof raw === "string" ? raw : JSON.stringify(raw ?? ""));
    const parsed = parseLogBuffer(buffer, info.Config.Tty);
    const lines = sortByTime(parsed.lines);

    let selected: LogLine[];
    let more: boolean;
    if (matcher) {
      const hits = lines.filter((line) => matcher.test(line.text));
      selected = hits.slice(-input.tail);
      more = hits.length > input.tail || lines.length >= grepScanLines;
    } else {
      selected = lines.slice(-input.tail);
      more = lines.length > input.tail;
    }
    return { container: name, host: host.name, lines: selected, truncated: more || parsed.cut };
  },
});
