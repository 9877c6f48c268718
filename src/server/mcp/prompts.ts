import type { GetPromptResult, Prompt } from "@modelcontextprotocol/sdk/types.js";
import type { Jarvis } from "../../jarvis.ts";
import { runbookPrompt } from "./runbook-prompt.ts";

/** An MCP prompt: its listing and how its arguments become messages. */
export interface McpPrompt {
  prompt: Prompt;
  render(args: Record<string, string>): GetPromptResult;
}

const diagnoseContainer: McpPrompt = {
  prompt: {
    name: "diagnose_container",
    title: "Diagnose a container",
    description: "Find out why a Docker container is unhealthy, restarting or down, with read-only tools.",
    arguments: [
      { name: "container", description: "Container name or id", required: true },
      { name: "host", description: "Docker host name (default: search every host)", required: false },
    ],
  },
  render: ({ container, host }) => {
    const where = host ? ` on host ${host}` : "";
    const hostArg = host ? `, "host": ${JSON.stringify(host)}` : "";
    return {
      description: `Diagnose container ${container}${where}`,
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: [
              `Diagnose the Docker container ${JSON.stringify(container)}${where} with Jarvis's read-only tools, in this order:`,
              `1. docker_inspect_container {"container": ${JSON.stringify(container)}${hostArg}}: state, health, restart count, exit code, last health check output.`,
              `2. docker_container_logs {"container": ${JSON.stringify(container)}${hostArg}, "tail": 200}: errors and what happened just before it stopped or turned unhealthy (use "grep" to narrow).`,
              `3. docker_container_stats {"container": ${JSON.stringify(container)}${hostArg}} if it runs: CPU, memory against its limit.`,
              "4. docker_list_containers (with its stack) to see whether what it depends on is running.",
              "Then say what is wrong, the evidence, and the smallest fix. Do not restart, stop or remove anything unless I ask; such calls need an approval.",
            ].join("\n"),
          },
        },
      ],
    };
  },
};

/** The prompts every MCP session offers: diagnose_container and one per loaded runbook. */
export function mcpPrompts(jarvis: Jarvis): McpPrompt[] {
  return [diagnoseContainer, ...jarvis.incidents.runbooks.map(runbookPrompt)];
}
