import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * Eval case files: YAML lists of cases (see evals/README.md). Validation is strict, so a typo in a
 * field name is an error that names the file, the case and the field, not a silently empty check.
 */

/** `(?i)` and friends at the start of a pattern (Python/PCRE style) become JavaScript flags. */
export function compilePattern(pattern: string): RegExp {
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  const flags = inline ? [...new Set(inline[1])].join("") : "";
  return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, flags);
}

const Pattern = z.string().transform((pattern, ctx) => {
  try {
    return compilePattern(pattern);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `not a valid regular expression: ${(error as Error).message}` });
    return z.NEVER;
  }
});

/** A call a turn must contain: a tool name (or glob) and a subset of its arguments. */
export const ExpectedCall = z.strictObject({
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});
export type ExpectedCall = z.infer<typeof ExpectedCall>;

/** What a turn is judged on; every check is optional. */
export const Expect = z.strictObject({
  /** Each must appear among the turn's calls, in this order; args are a subset match. [] means none at all. */
  calls: z.array(ExpectedCall).optional(),
  /** Tool names (or globs) that must not be called. */
  not_calls: z.array(z.string().min(1)).optional(),
  /** Whether an approval was requested this turn. */
  approval: z.enum(["asked", "none"]).optional(),
  reply_matches: Pattern.optional(),
  /** Extension: calls the world must have executed this turn (an approved call running, say). */
  executed: z.array(ExpectedCall).optional(),
  /** Extension: tools (or globs) the world must not have executed this turn. */
  not_executed: z.array(z.string().min(1)).optional(),
});
export type Expect = z.infer<typeof Expect>;

/** One user message and what should follow it. */
export const Turn = z.strictObject({ user: z.string().min(1), expect: Expect.optional() });
export type Turn = z.infer<typeof Turn>;

/** One case: a conversation of turns against a world. */
export const EvalCase = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "letters, digits, '.', '_' or '-'"),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).default([]),
  world: z.string().min(1).default("homelab"),
  turns: z.array(Turn).min(1),
});

/** A validated case and the file it came from. */
export type EvalCase = z.infer<typeof EvalCase> & { file: string };

/** A malformed case file; the message names the file, the case and the field. */
export class CaseFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = "CaseFileError";
    this.file = file;
  }
}

/** A path as errors show it: relative inside the working directory, absolute outside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
}

function caseLabel(raw: unknown, index: number): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" && id ? `case "${id}"` : `case #${index + 1}`;
}

/** Renders a zod path inside a case: turns[0].expect.approval. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`))
    .join("");
}

/** Parses one case file's text; throws a CaseFileError listing every problem. */
export function parseCaseFile(file: string, text: string): EvalCase[] {
  const where = displayPath(file);
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new CaseFileError(file, `${where}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) throw new CaseFileError(file, `${where}: must be a YAML list of cases`);
  const cases: EvalCase[] = [];
  const problems: string[] = [];
  raw.forEach((item, index) => {
    const parsed = EvalCase.safeParse(item);
    if (parsed.success) cases.push({ ...parsed.data, file });
    else {
      for (const issue of parsed.error.issues) {
        problems.push(
          `${where}: ${caseLabel(item, index)}: ${fieldPath(issue.path) || "(case)"}: ${issue.message}`,
        );
      }
    }
  });
  if (problems.length > 0) throw new CaseFileError(file, problems.join("\n"));
  return cases;
}

function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return yamlFiles(child);
      return /\.ya?ml$/.test(entry.name) ? [child] : [];
    });
}

/**
 * Loads cases from files and directories (recursively, every *.yaml / *.yml). Ids must be unique
 * across everything loaded.
 */
export function loadCases(paths: readonly string[]): EvalCase[] {
  const all: EvalCase[] = [];
  const seen = new Map<string, string>();
  const loaded = new Set<string>();
  for (const path of paths) {
    let files: string[];
    try {
      files = yamlFiles(path);
    } catch (error) {
      throw new CaseFileError(path, `${displayPath(path)}: cannot read cases: ${(error as Error).message}`);
    }
    for (const file of files) {
      // The same file reached twice (a directory and a file in it) is loaded once.
      if (loaded.has(resolve(file))) continue;
      loaded.add(resolve(file));
      for (const item of parseCaseFile(file, readFileSync(file, "utf8"))) {
        const first = seen.get(item.id);
        if (first !== undefined) {
          throw new CaseFileError(
            file,
            `${displayPath(file)}: case "${item.id}": id: duplicate id, already used in ${displayPath(first)}`,
          );
        }
        seen.set(item.id, file);
        all.push(item);
      }
    }
  }
  return all;
}
