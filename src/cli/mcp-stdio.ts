import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config.ts";
import { lockDataDir, lockHolder } from "../db/lock.ts";
import { JarvisError } from "../errors.ts";
import { createJarvis } from "../jarvis.ts";
import type { Logger } from "../log.ts";
import { createMcpServer } from "../server/mcp/server.ts";
import type { Principal } from "../tools/define-tool.ts";

/**
 * Resolves when the session ends: the client closed stdin (the SDK's stdio transport does not
 * notice that by itself), a signal asked us to stop, or the transport closed.
 */
const closed = (transport: Transport) =>
  new Promise<void>((resolve) => {
    const previous = transport.onclose;
    transport.onclose = () => {
      previous?.();
      resolve();
    };
    const end = () => void transport.close();
    process.stdin.once("end", end);
    process.once("SIGINT", end);
    process.once("SIGTERM", end);
  });

/** Where a running server for this data directory listens, with the token to use, if one runs. */
function runningServer(config: Config): { url: string; token: string } | undefined {
  const pid = config.database.url ? undefined : lockHolder(config.dataDir);
  if (!config.client.url && pid === undefined) return undefined;
  const host = ["0.0.0.0", "::", ""].includes(config.server.host) ? "127.0.0.1" : config.server.host;
  const url = config.client.url ?? `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}`;
  let token = config.client.token?.reveal();
  if (!token) {
    try {
      token = readFileSync(join(config.dataDir, "admin-token"), "utf8").trim();
    } catch {
      throw new JarvisError(
        "unauthorized",
        `A Jarvis server is running (${url}); set JARVIS_TOKEN to an API token so jarvis mcp can use its /mcp`,
      );
    }
  }
  return { url, token };
}

/** Relays MCP messages between this process's stdio and a running server's Streamable HTTP /mcp. */
async function proxy(target: { url: string; token: string }, log: Logger): Promise<void> {
  const local = new StdioServerTransport();
  const upstream = new StreamableHTTPClientTransport(new URL("/mcp", target.url), {
    requestInit: { headers: { authorization: `Bearer ${target.token}` } },
  });
  const initializeIds = new Set<string | number>();
  local.onmessage = (message: JSONRPCMessage) => {
    if ("method" in message && message.method === "initialize" && "id" in message)
      initializeIds.add(message.id);
    upstream.send(message).catch((error: Error) => {
      log.error("the Jarvis server did not take an MCP message", { error });
      if ("id" in message && "method" in message) {
        void local.send({
          jsonrpc: "2.0",
          id: message.id,
          error: { code: -32603, message: `Jarvis server at ${target.url}: ${error.message}` },
        });
      }
    });
  };
  upstream.onmessage = (message: JSONRPCMessage) => {
    if ("id" in message && "result" in message && initializeIds.delete(message.id)) {
      const version = (message.result as { protocolVersion?: string }).protocolVersion;
      if (version) upstream.setProtocolVersion(version);
    }
    void local.send(message);
  };
  upstream.onerror = (error) => log.warn("MCP upstream error", { error });
  const done = closed(local);
  await upstream.start();
  await local.start();
  log.info(`jarvis mcp: relaying stdio to ${target.url}/mcp`);
  await done;
  await upstream.terminateSession().catch(() => {});
  await upstream.close();
}

/**
 * `jarvis mcp`: an MCP server on stdin/stdout (logs go to stderr only). Without a server on this
 * data directory it runs the core in-process as the local user (admin, source "mcp"); with one
 * running, the embedded database belongs to that process, so it relays to the server's /mcp with
 * the admin token (or JARVIS_TOKEN) and approvals can be decided in its console, CLI or API.
 */
export async function runMcpStdio(config: Config, log: Logger): Promise<void> {
  const target = runningServer(config);
  if (target) return proxy(target, log);

  const lock = config.database.url ? undefined : lockDataDir(config.dataDir);
  try {
    const jarvis = await createJarvis(config, { log });
    const user = userInfo().username;
    const principal: Principal = { id: `mcp:${user}`, name: user, role: "admin" };
    const server = createMcpServer({ jarvis, principal });
    const transport = new StdioServerTransport();
    const done = closed(transport);
    await server.connect(transport);
    log.info("jarvis mcp: serving on stdio", { dataDir: config.dataDir });
    await done;
    await server.close();
    await jarvis.close();
  } finally {
    lock?.release();
  }
}
