import { z } from "zod";
import { JarvisError } from "../../src/errors.ts";
import { defineTool } from "../../src/tools/define-tool.ts";

/**
 * Small real tools for gate tests: they count their executions so a test can prove a call ran
 * exactly once, or never.
 */
export function createTestTools() {
  const runs: Array<{ tool: string; input: unknown }> = [];
  const record = (tool: string, input: unknown) => runs.push({ tool, input });

  const echo = defineTool({
    name: "test_read_echo",
    title: "Echo",
    description: "Returns its input.",
    input: z.strictObject({ text: z.string(), count: z.number().int().min(1).max(10).default(1) }),
    risk: "read",
    async run(input) {
      record("test_read_echo", input);
      return { echoed: input.text.repeat(input.count) };
    },
  });
  const restart = defineTool({
    name: "test_restart_thing",
    title: "Restart a thing",
    description: "Pretends to restart a thing.",
    input: z.strictObject({ thing: z.string().min(1), password: z.string().optional() }),
    risk: "write",
    target: (input) => `lab/${input.thing}`,
    async run(input) {
      record("test_restart_thing", input);
      return { restarted: input.thing };
    },
  });
  const wipe = defineTool({
    name: "test_wipe_thing",
    title: "Wipe a thing",
    description: "Pretends to wipe a thing; throws for 'broken'.",
    input: z.strictObject({ thing: z.string() }),
    risk: (input) => (input.thing === "scratch" ? "write" : "destructive"),
    target: (input) => `lab/${input.thing}`,
    async run(input) {
      record("test_wipe_thing", input);
      if (input.thing === "broken") throw new Error("disk on fire");
      if (input.thing === "missing") throw new JarvisError("not_found", "No thing named missing");
      return { wiped: input.thing };
    },
  });
  const slow = defineTool({
    name: "test_read_slow",
    title: "Slow",
    description: "Never finishes on its own.",
    input: z.strictObject({}),
    risk: "read",
    timeoutMs: 200,
    run: (_input, ctx) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener("abort", () => reject(new Error("aborted by signal"))),
      ),
  });
  const big = defineTool({
    name: "test_read_big",
    title: "Big",
    description: "Returns a large result.",
    input: z.strictObject({ n: z.number().int() }),
    risk: "read",
    async run(input) {
      return { items: Array.from({ length: input.n }, (_, i) => ({ i, text: `item number ${i}` })) };
    },
  });
  return { tools: [echo, restart, wipe, slow, big], runs };
}
