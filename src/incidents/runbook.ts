import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { JarvisError } from "../errors.ts";
import { inputError } from "../tools/input-error.ts";

/**
 * Runbooks: `prompts/runbooks/<name>.md`, YAML front matter that the loop runs deterministically,
 * and a prose body for a model. Arguments are templates over the alert (`{{container}}`,
 * `{{host}}`, `{{labels.job}}`); they become tool arguments that the tool's schema validates,
 * never a command line.
 */

/** The runbooks shipped with Jarvis (prompts/runbooks/). */
export const shippedRunbooksDir = fileURLToPath(new URL("../../prompts/runbooks", import.meta.url));

const Args = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
/** `path: value` pairs over a step's result; a list means any of those values. */
const Expect = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));

const Step = z.strictObject({
  /** Names the result for `when` conditions (`inspect.state`). */
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  tool: z.string().min(1),
  args: Args.default({}),
});

export const Runbook = z.strictObject({
  title: z.string().min(1),
  /** Label name → allowed values; every listed label must match one of its values. */
  match: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  evidence: z.array(Step).default([]),
  actions: z
    .array(
      z.strictObject({
        tool: z.string().min(1),
        args: Args.default({}),
        /** Conditions over evidence results (`inspect.state: running`); all must hold. */
        when: Expect.optional(),
        /** Why, in the timeline and on an approval request. */
        reason: z.string().min(1),
      }),
    )
    .default([]),
  verify: z
    .strictObject({
      tool: z.string().min(1).optional(),
      args: Args.default({}),
      expect: Expect.default({}),
      /** Stop waiting early when these hold (the check ran and failed again). */
      failWhen: Expect.optional(),
      /** Also wait for the alert to be reported resolved. */
      alertResolved: z.boolean().default(false),
      timeoutSeconds: z.number().positive().max(3600).default(120),
      intervalSeconds: z.number().positive().max(300).default(2),
    })
    .optional(),
  maxAttempts: z.number().int().min(1).max(10).default(2),
  cooldownMinutes: z.number().min(0).max(10080).default(15),
});
export type Runbook = z.infer<typeof Runbook> & { name: string; body: string };

/** Splits `---\n<yaml>\n---\n<body>`. */
export function parseRunbook(name: string, text: string): Runbook {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new JarvisError("invalid_config", `Runbook ${name} has no YAML front matter (--- … ---)`);
  let front: unknown;
  try {
    front = parseYaml(match[1]!);
  } catch (error) {
    throw new JarvisError("invalid_config", `Runbook ${name}: front matter is not valid YAML`, {
      cause: error,
    });
  }
  const parsed = Runbook.safeParse(front);
  if (!parsed.success) {
    const error = inputError(`runbook ${name}`, parsed.error);
    throw new JarvisError("invalid_config", error.message);
  }
  return { ...parsed.data, name, body: match[2]!.trim() };
}

/** Loads every `*.md` in a folder, sorted by name (the first match wins). */
export function loadRunbooks(dir: string): Runbook[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .sort()
    .map((file) => parseRunbook(file.slice(0, -3), readFileSync(join(dir, file), "utf8")));
}

export function matchRunbook(
  runbooks: readonly Runbook[],
  labels: Record<string, string>,
): Runbook | undefined {
  return runbooks.find((runbook) =>
    Object.entries(runbook.match).every(([label, allowed]) => {
      const value = labels[label];
      return value !== undefined && (Array.isArray(allowed) ? allowed : [allowed]).includes(value);
    }),
  );
}

/** Replaces `{{name}}` and `{{labels.x}}`; an argument whose template resolves to nothing is left out. */
export function renderArgs(
  args: Record<string, string | number | boolean>,
  vars: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value !== "string") {
      out[key] = value;
      continue;
    }
    let missing = false;
    const rendered = value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
      const found = lookup(vars, path);
      if (found === undefined || found === null || found === "") missing = true;
      return found === undefined || found === null ? "" : String(found);
    });
    if (!missing) out[key] = rendered;
  }
  return out;
}

/** `a.b.c` in nested objects. */
export function lookup(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Whether every `path: expected` holds in `results` (a list means any of those values). */
export function conditionsHold(expect: Record<string, unknown>, results: Record<string, unknown>): boolean {
  return Object.entries(expect).every(([path, expected]) => {
    const actual = lookup(results, path);
    const allowed = Array.isArray(expected) ? expected : [expected];
    return allowed.some((v) => String(v) === String(actual));
  });
}
