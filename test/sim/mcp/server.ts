import { appendFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

/**
 * A small stdio MCP server for mount tests, built on the SDK's own McpServer: an annotated
 * read-only tool, an annotated destructive tool and a tool without annotations. Each execution
 * appends a line to SIM_MCP_LOG, so a test can prove a call ran once, or never.
 */
const logPath = process.env.SIM_MCP_LOG;
const ran = (tool: string, args: unknown) => {
  if (logPath) appendFileSync(logPath, `${JSON.stringify({ tool, args })}\n`);
};

const server = new McpServer({ name: "sim-mcp", version: "1.0.0" });

server.registerTool(
  "get-reading",
  {
    title: "Get a sensor reading",
    description: "Reads a sensor.",
    inputSchema: { sensor: z.string().min(1) },
    outputSchema: { sensor: z.string(), celsius: z.number() },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ sensor }) => {
    ran("get-reading", { sensor });
    if (sensor === "broken")
      return { isError: true, content: [{ type: "text", text: "sensor broken is offline" }] };
    const out = { sensor, celsius: 21.5 };
    return { content: [{ type: "text", text: JSON.stringify(out) }], structuredContent: out };
  },
);

server.registerTool(
  "wipe_disk",
  {
    description: "Erases a disk.",
    inputSchema: { disk: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: true },
  },
  async ({ disk }) => {
    ran("wipe_disk", { disk });
    return { content: [{ type: "text", text: `wiped ${disk}` }] };
  },
);

server.registerTool(
  "ping_device",
  {
    description: "Pings a device (no annotations: the spec's defaults apply).",
    inputSchema: { device: z.string() },
  },
  async ({ device }) => {
    ran("ping_device", { device });
    return { content: [{ type: "text", text: `pong from ${device}` }] };
  },
);

await server.connect(new StdioServerTransport());
