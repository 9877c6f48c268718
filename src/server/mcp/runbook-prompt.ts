import type { Runbook } from "../../incidents/runbook.ts";
import type { McpPrompt } from "./prompts.ts";

const template = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The alert values a runbook's steps use: `{{container}}` → container, `{{labels.job}}` → job. */
function variablesOf(runbook: Runbook): string[] {
  const steps = [...runbook.evidence, ...runbook.actions, ...(runbook.verify ? [runbook.verify] : [])];
  const names = new Set<string>();
  for (const step of steps) {
    for (const value of Object.values(step.args)) {
      for (const [, path] of String(value).matchAll(template)) names.add(path!.replace(/^labels\./, ""));
    }
  }
  return [...names];
}

/** A step's arguments as JSON, with the values given filled in and the others left as <name>. */
function argsWith(args: Record<string, unknown>, values: Record<string, string>): string {
  const filled = Object.fromEntries(
    Object.entries(args).map(([key, value]) => [
      key,
      typeof value === "string"
        ? value.replace(template, (_, path: string) => {
            const name = path.replace(/^labels\./, "");
            return values[name] ?? `<${name}>`;
          })
        : value,
    ]),
  );
  return JSON.stringify(filled);
}

const conditions = (expect: Record<string, unknown>) =>
  Object.entries(expect)
    .map(([path, value]) => `${path} is ${Array.isArray(value) ? value.join(" or ") : String(value)}`)
    .join(" and ");

/**
 * A runbook as an MCP prompt (`runbook_<name>`): the runbook's guidance and its steps, to walk an
 * IDE's model through the same diagnosis the incident loop runs. Its remedies are proposals: every
 * write still meets Jarvis's gate.
 */
export function runbookPrompt(runbook: Runbook): McpPrompt {
  const variables = variablesOf(runbook);
  return {
    prompt: {
      name: `runbook_${runbook.name.replace(/[^a-zA-Z0-9]+/g, "_")}`,
      title: `Runbook: ${runbook.title}`,
      description: `Follow Jarvis's "${runbook.title}" runbook with read-only tools first; its remedies need the gate's approval.`,
      arguments: variables.map((name) => ({ name, description: `The alert's ${name}`, required: false })),
    },
    render: (values) => {
      const subject = variables
        .filter((name) => values[name])
        .map((name) => `${name} ${JSON.stringify(values[name])}`)
        .join(", ");
      const lines = [
        `Follow Jarvis's runbook "${runbook.title}"${subject ? ` for ${subject}` : ""}.`,
        "",
        runbook.body,
        "",
        "Gather the evidence with these read-only tools:",
        ...runbook.evidence.map(
          (step, i) => `${i + 1}. ${step.tool} ${argsWith(step.args, values)} (as "${step.id}")`,
        ),
      ];
      if (runbook.actions.length) {
        lines.push(
          "",
          "Remedies, only when the evidence shows their condition (each needs approval unless policy allows it):",
        );
        for (const action of runbook.actions) {
          const when = action.when ? ` when ${conditions(action.when)}` : "";
          lines.push(`- ${action.tool} ${argsWith(action.args, values)}${when}: ${action.reason}.`);
        }
      }
      if (runbook.verify?.tool) {
        lines.push(
          "",
          `Verify afterwards with ${runbook.verify.tool} ${argsWith(runbook.verify.args, values)}${
            Object.keys(runbook.verify.expect).length ? `: expect ${conditions(runbook.verify.expect)}` : ""
          }.`,
        );
      }
      lines.push("", "Then say what was wrong, the evidence, and what you did or propose.");
      return {
        description: `Runbook ${runbook.title}${subject ? ` for ${subject}` : ""}`,
        messages: [{ role: "user", content: { type: "text", text: lines.join("\n") } }],
      };
    },
  };
}
