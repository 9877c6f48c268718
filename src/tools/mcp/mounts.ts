import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { McpServerConfig } from "../../config.ts";
import type { Logger } from "../../log.ts";
import type { Tool } from "../define-tool.ts";
import type { MountStatus, Mounts } from "./mount-status.ts";
import { mountedTool } from "./mounted-tool.ts";

const connectTimeoutMs = 15_000;

function transportFor(server: McpServerConfig): Transport {
  if (server.stdio) {
    return new StdioClientTransport({
      command: server.stdio.command,
      args: server.stdio.args,
      // The SDK adds a safe default environment (PATH, HOME, …); nothing else of ours leaks in.
      env: server.stdio.env,
      cwd: server.stdio.cwd,
      stderr: "pipe",
    });
  }
  const headers = Object.fromEntries(Object.entries(server.headers).map(([k, v]) => [k, v.reveal()]));
  return new StreamableHTTPClientTransport(new URL(server.url!), { requestInit: { headers } });
}

async function mount(server: McpServerConfig, log: Logger): Promise<{ client: Client; tools: Tool[] }> {
  const client = new Client({ name: "jarvis", version: "0.1.0" });
  const transport = transportFor(server);
  const timeout = AbortSignal.timeout(connectTimeoutMs);
  try {
    await client.connect(transport, { signal: timeout, timeout: connectTimeoutMs });
    const prefix = server.prefix ?? server.name.toLowerCase().replace(/[^a-z0-9]/g, "");
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools({ cursor }, { signal: timeout, timeout: connectTimeoutMs });
      for (const remote of page.tools) tools.push(mountedTool({ name: server.name, prefix, client }, remote));
      cursor = page.nextCursor;
    } while (cursor);
    log.info(`mounted MCP server ${server.name}`, { tools: tools.length });
    return { client, tools };
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
}

/**
 * Connects every enabled server in `mcp.servers` and turns their tools into Jarvis tools. A server
 * that cannot be reached is logged and reported by `status()` (and /healthz); Jarvis starts anyway.
 */
export async function connectMounts(servers: readonly McpServerConfig[], log: Logger): Promise<Mounts> {
  const clients: Client[] = [];
  const statuses: MountStatus[] = [];
  const tools: Tool[] = [];
  const results = await Promise.allSettled(
    servers.filter((s) => s.enabled).map(async (server) => ({ server, mounted: await mount(server, log) })),
  );
  const enabled = servers.filter((s) => s.enabled);
  results.forEach((result, i) => {
    const server = enabled[i]!;
    if (result.status === "fulfilled") {
      clients.push(result.value.mounted.client);
      tools.push(...result.value.mounted.tools);
      statuses.push({ name: server.name, ok: true, tools: result.value.mounted.tools.length });
    } else {
      const error = (result.reason as Error)?.message ?? String(result.reason);
      log.error(`could not mount MCP server ${server.name}; its tools are missing`, { error });
      statuses.push({ name: server.name, ok: false, tools: 0, error });
    }
  });
  return {
    tools,
    status: () => statuses,
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
    },
  };
}
