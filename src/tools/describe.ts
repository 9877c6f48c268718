import { z } from "zod";
import type { Tool } from "./define-tool.ts";

export interface ToolInfo {
  name: string;
  title: string;
  description: string;
  /** The fixed risk, or "varies" when it depends on the input. */
  risk: "read" | "write" | "destructive" | "varies";
  inputSchema: unknown;
}

/** What surfaces show of a tool: its name, descriptions, risk and JSON Schema input. */
export function describeTool(tool: Tool): ToolInfo {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    risk: typeof tool.risk === "function" ? "varies" : tool.risk,
    inputSchema: tool.inputJsonSchema ?? z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }),
  };
}
