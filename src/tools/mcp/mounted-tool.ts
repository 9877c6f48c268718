import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Risk, Tool } from "../define-tool.ts";

const validators = new AjvJsonSchemaValidator();

/** `<prefix>_<tool>` in the registry's snake_case (OpenAI function names allow no dots or dashes). */
export function mountedName(prefix: string, tool: string): string {
  const clean = tool
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return `${prefix}_${clean || "tool"}`;
}

/**
 * Risk from the server's annotations, with the spec's defaults for what is missing: a tool is not
 * read-only and is destructive unless it says otherwise.
 */
export function riskFromAnnotations(annotations: McpTool["annotations"]): Risk {
  if (annotations?.readOnlyHint === true) return "read";
  return annotations?.destructiveHint === false ? "write" : "destructive";
}

function resultText(content: unknown): string {
  return ((content as Array<{ type: string; text?: string }> | undefined) ?? [])
    .filter((c) => c.type === "text" && c.text)
    .map((c) => c.text)
    .join("\n");
}

/**
 * One tool of a mounted MCP server as a Jarvis tool: its JSON Schema is shown as is and checked
 * here (Ajv, as the SDK does), so the gate still validates, canonicalises and audits the call.
 */
export function mountedTool(server: { name: string; prefix: string; client: Client }, remote: McpTool): Tool {
  const validate = validators.getValidator<Record<string, unknown>>(remote.inputSchema as never);
  const input = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const checked = validate(value);
    if (!checked.valid) ctx.addIssue({ code: "custom", message: checked.errorMessage });
  });
  const name = mountedName(server.prefix, remote.name);
  return {
    name,
    title: remote.title ?? remote.annotations?.title ?? `${remote.name} (${server.name})`,
    description: `${remote.description ?? remote.name} (from the MCP server "${server.name}")`,
    input,
    inputJsonSchema: remote.inputSchema as Record<string, unknown>,
    risk: riskFromAnnotations(remote.annotations),
    idempotent: remote.annotations?.idempotentHint,
    openWorld: remote.annotations?.openWorldHint ?? true,
    target: () => server.name,
    async run(args: Record<string, unknown>, ctx) {
      const result = await server.client.callTool({ name: remote.name, arguments: args }, undefined, {
        signal: ctx.signal,
      });
      const text = resultText(result.content);
      if (result.isError) {
        throw new JarvisError("tool_failed", `${server.name}/${remote.name}: ${text || "the tool failed"}`);
      }
      return result.structuredContent ?? { text };
    },
  };
}
