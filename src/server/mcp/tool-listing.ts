import type { Tool as McpTool, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Principal, Tool } from "../../tools/define-tool.ts";

type JsonObjectSchema = McpTool["inputSchema"];

/**
 * MCP's tool annotations, derived from the tool's `risk` in one place: read → read-only;
 * write → not read-only, not destructive; destructive (or a risk that depends on the input, whose
 * worst case counts) → destructive.
 */
export function annotationsOf(tool: Tool): ToolAnnotations {
  const risk = typeof tool.risk === "function" ? "varies" : tool.risk;
  const hints: ToolAnnotations = { title: tool.title, readOnlyHint: risk === "read" };
  if (risk !== "read") hints.destructiveHint = risk !== "write";
  if (risk !== "read" && tool.idempotent !== undefined) hints.idempotentHint = tool.idempotent;
  hints.openWorldHint = tool.openWorld ?? false;
  return hints;
}

function objectSchema(schema: Record<string, unknown>): JsonObjectSchema {
  const { $schema: _ignored, ...rest } = schema;
  return { ...rest, type: "object" } as JsonObjectSchema;
}

/** The JSON Schema MCP clients see for a tool's input (from zod, or a mounted tool's own). */
export function inputSchemaOf(tool: Tool): JsonObjectSchema {
  if (tool.inputJsonSchema) return objectSchema(tool.inputJsonSchema);
  return objectSchema(z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }));
}

/** The output schema, when the tool declares one that describes an object (MCP requires that). */
export function outputSchemaOf(tool: Tool): JsonObjectSchema | undefined {
  if (!tool.output) return undefined;
  const schema = z.toJSONSchema(tool.output, { io: "output", unrepresentable: "any" });
  return schema.type === "object" ? objectSchema(schema) : undefined;
}

/** A viewer sees (and may call) only tools that are always read-only. */
export function visibleTo(principal: Principal, tool: Tool): boolean {
  return principal.role !== "viewer" || tool.risk === "read";
}

/** One registry tool as MCP's tools/list shows it. */
export function toMcpTool(tool: Tool): McpTool {
  const outputSchema = outputSchemaOf(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchemaOf(tool),
    ...(outputSchema ? { outputSchema } : {}),
    annotations: annotationsOf(tool),
  };
}
