import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Source } from "../../config.ts";
import type { Jarvis } from "../../jarvis.ts";
import type { Principal } from "../../tools/define-tool.ts";
import { type Ask, callTool, errorResult } from "./call-tool.ts";
import { type McpPrompt, mcpPrompts } from "./prompts.ts";
import { type McpResource, mcpResources } from "./resources.ts";
import { toMcpTool, visibleTo } from "./tool-listing.ts";

export interface McpServerOptions {
  jarvis: Jarvis;
  /** Who this session acts as: the bearer token's principal, or the local user on stdio. */
  principal: Principal;
  source?: Extract<Source, "mcp">;
  resources?: readonly McpResource[];
  prompts?: readonly McpPrompt[];
}

const instructions =
  "Jarvis runs a homelab: Docker and the other systems it knows, through one approval gate. " +
  "Read-only tools run at once. Write and destructive tools need a person's approval: Jarvis asks " +
  "through elicitation when this client supports it, otherwise the result gives an approval id; " +
  "after someone approves it, call the same tool with the same arguments again and it runs once.";

/**
 * An MCP server over the one tool registry and the one gate. One instance serves one session
 * (one principal); the transport (stdio, Streamable HTTP, in-memory) is connected by the caller.
 */
export function createMcpServer(options: McpServerOptions): Server {
  const { jarvis, principal } = options;
  const resources = options.resources ?? mcpResources;
  const prompts = options.prompts ?? mcpPrompts(jarvis);
  const server = new Server(
    { name: "jarvis", title: "Jarvis", version: "0.1.0" },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions },
  );
  const log = jarvis.log.child({ surface: "mcp", principal: principal.id });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: jarvis.registry
      .list()
      .filter((tool) => visibleTo(principal, tool))
      .map(toMcpTool),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    const tool = jarvis.registry.get(name);
    if (tool && !visibleTo(principal, tool)) {
      return errorResult(
        new Error(`${principal.name} has a viewer token and may only run read tools; ${name} is not one`),
      );
    }
    const ask: Ask = async (message, requestedSchema) => {
      if (!server.getClientCapabilities()?.elicitation) return undefined;
      try {
        return await server.elicitInput(
          { mode: "form", message, requestedSchema },
          {
            relatedRequestId: extra.requestId,
            signal: extra.signal,
            timeout: jarvis.config.approvals.ttlMinutes * 60_000,
          },
        );
      } catch (error) {
        // No answer (the client failed or timed out): the approval stays pending, as without elicitation.
        log.warn("elicitation failed; returning the approval id instead", { tool: name, error });
        return undefined;
      }
    };
    return callTool(
      jarvis,
      principal,
      { name, args: request.params.arguments ?? {}, signal: extra.signal },
      ask,
    );
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: resources.map(({ uri, name, title, description }) => ({
      uri,
      name,
      title,
      description,
      mimeType: "application/json",
    })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = resources.find((r) => r.uri === request.params.uri);
    if (!resource) {
      throw new McpError(ErrorCode.InvalidParams, `No resource ${request.params.uri}`);
    }
    const value = await resource.read(jarvis, principal);
    return {
      contents: [{ uri: resource.uri, mimeType: "application/json", text: JSON.stringify(value, null, 2) }],
    };
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: prompts.map((p) => p.prompt) }));

  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = prompts.find((p) => p.prompt.name === request.params.name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `No prompt ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = (prompt.prompt.arguments ?? []).filter((a) => a.required && !args[a.name]);
    if (missing.length) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Prompt ${prompt.prompt.name} needs ${missing.map((a) => a.name).join(", ")}`,
      );
    }
    return prompt.render(args);
  });

  return server;
}
