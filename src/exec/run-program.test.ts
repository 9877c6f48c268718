import { describe, expect, it } from "vitest";
import { refusal } from "../../test/helpers/refusal.ts";
import { createLogger } from "../log.ts";
import { createRunProgram } from "./run-program.ts";

const node = process.execPath;
const lines: string[] = [];
const run = createRunProgram({
  log: createLogger({ level: "debug", write: (line) => lines.push(line) }),
  parentEnv: { PATH: process.env.PATH, OPENAI_API_KEY: "sk-parent-secret" },
});

describe("the program runner", () => {
  it("passes arguments verbatim (no shell) and secrets only through the environment", async () => {
    const script =
      "console.log(JSON.stringify({argv: process.argv.slice(1), pw: process.env.PW, parent: process.env.OPENAI_API_KEY ?? null}))";
    const result = await run(node, ["-e", script, "--", "$(rm -rf /)", "a b;c"], {
      env: { PW: "hunter2" },
      timeoutMs: 20_000,
    });
    expect(JSON.parse(result.stdout)).toEqual({
      argv: ["$(rm -rf /)", "a b;c"],
      pw: "hunter2",
      parent: null,
    });
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines.join("\n")).toContain("program finished");
  });

  it("streams stdout lines and bounds what it keeps", async () => {
    const seen: string[] = [];
    const script = "for (let i = 0; i < 2000; i++) console.log(JSON.stringify({i}))";
    const result = await run(node, ["-e", script], {
      timeoutMs: 20_000,
      maxOutputBytes: 1000,
      onLine: (line) => seen.push(line),
    });
    expect(seen).toHaveLength(2000);
    expect(JSON.parse(seen[1999]!)).toEqual({ i: 1999 });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(1000);
  });

  it("turns a non-zero exit into an error quoting stderr without the secrets", async () => {
    const error = await refusal(
      run(node, ["-e", "console.error('wrong password hunter2 for repo'); process.exit(3)"], {
        timeoutMs: 20_000,
        redact: ["hunter2"],
      }),
    );
    expect(error.code).toBe("tool_failed");
    expect(error.message).toMatch(/exit 3.*wrong password \*\*\* for repo/);
    const unchecked = await run(node, ["-e", "process.exit(4)"], { timeoutMs: 20_000, check: false });
    expect(unchecked.code).toBe(4);
  });

  it("stops a program at its timeout and on abort", async () => {
    const forever = ["-e", "setInterval(() => {}, 1000)"];
    expect((await refusal(run(node, forever, { timeoutMs: 300 }))).code).toBe("timeout");
    const controller = new AbortController();
    const pending = run(node, forever, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect((await refusal(pending)).code).toBe("aborted");
  });

  it("says what to install when a program is missing", async () => {
    const error = await refusal(run("/nonexistent/mount.cifs", [], { timeoutMs: 1000 }));
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe("mount.cifs is not installed on the Jarvis host (apt-get install cifs-utils)");
  });
});
