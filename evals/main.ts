import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { JarvisError } from "../src/errors.ts";
import { CaseFileError, type EvalCase, loadCases } from "./cases.ts";
import { toolMatches } from "./match.ts";
import { formatReport, summarize } from "./report.ts";
import { runEvals } from "./runner.ts";

/**
 * `npm run eval -- [--cases <dir or file>]... [--model <JARVIS_MODEL>] [--repeat k] [--json <file>]`
 * Exit code 0 whatever the pass rate (it is a measurement), 2 on malformed cases or arguments.
 */

const usage = `Usage: npm run eval -- [options]
  --cases <path>    a case file or a directory of *.yaml (repeatable; default evals/cases)
  --model <spec>    JARVIS_MODEL value: local | openai:<model> | openai-compatible:<baseURL>#<model>
  --repeat <k>      run every case k times and report pass^k (default 1)
  --json <file>     write the JSON summary there
  --worlds <dir>    another directory of worlds, searched before evals/worlds (repeatable)
  --tag <tag>       only cases with this tag (repeatable)
  --id <glob>       only cases whose id matches (repeatable)
  --quiet           no per-case progress on stderr`;

const defaultCases = fileURLToPath(new URL("./cases", import.meta.url));

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: "string", multiple: true },
      model: { type: "string" },
      repeat: { type: "string", default: "1" },
      json: { type: "string" },
      worlds: { type: "string", multiple: true },
      tag: { type: "string", multiple: true },
      id: { type: "string", multiple: true },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100)
    throw new UsageError("--repeat: a whole number from 1 to 100");
  return { ...values, repeat };
}

function select(cases: EvalCase[], tags?: string[], ids?: string[]): EvalCase[] {
  return cases.filter(
    (item) =>
      (!tags?.length || item.tags.some((tag) => tags.includes(tag))) &&
      (!ids?.length || ids.some((pattern) => toolMatches(pattern, item.id))),
  );
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const paths = args.cases?.length ? args.cases.map((p) => resolve(cwd, p)) : [defaultCases];
  const cases = select(loadCases(paths), args.tag, args.id);
  const run = await runEvals({
    cases,
    model: args.model,
    repeat: args.repeat,
    worldDirs: (args.worlds ?? []).map((dir) => resolve(cwd, dir)),
    onResult: args.quiet
      ? undefined
      : (result) => {
          const ms = Math.round(result.turns.reduce((sum, turn) => sum + turn.ms, 0));
          const mark = result.passed ? "pass" : "FAIL";
          process.stderr.write(
            `${mark} ${result.id}${result.repeat > 1 ? ` #${result.repeat}` : ""} (${ms} ms)\n`,
          );
        },
  });
  const summary = summarize(run);
  process.stdout.write(formatReport(summary, run));
  if (args.json) writeFileSync(resolve(cwd, args.json), `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const expected =
    error instanceof CaseFileError ||
    error instanceof UsageError ||
    (error instanceof JarvisError && error.code === "invalid_config") ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(
    `${(error as Error).message}\n${expected && !(error instanceof CaseFileError) ? `\n${usage}\n` : ""}`,
  );
  process.exitCode = expected ? 2 : 1;
}
