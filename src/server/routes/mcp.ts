import { createHash, randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "hono";
import { Hono } from "hono";
import type { Jarvis } from "../../jarvis.ts";
import type { AppEnv } from "../env.ts";
import { createMcpServer } from "../mcp/server.ts";

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  close(): Promise<void>;
  /** SHA-256 of the bearer token that created the session: only that token may use it. */
  tokenHash: string;
}

const rpcError = (c: Context, status: 400 | 404, code: number, message: string) =>
  c.json({ jsonrpc: "2.0", error: { code, message }, id: null }, status);

const tokenHashOf = (c: Context) =>
  createHash("sha256")
    .update(c.req.header("authorization") ?? "")
    .digest("hex");

/**
 * The MCP sessions of the Streamable HTTP endpoint: one MCP server (one principal) per session,
 * bound to the token that initialized it. `closeAll` ends them on shutdown.
 */
export function createMcpSessions(jarvis: Jarvis) {
  const sessions = new Map<string, Session>();

  async function open(c: Context<AppEnv>, body: unknown): Promise<Response> {
    const server = createMcpServer({ jarvis, principal: c.var.principal });
    const tokenHash = tokenHashOf(c);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, tokenHash, close: () => server.close() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  }

  async function handle(c: Context<AppEnv>): Promise<Response> {
    const id = c.req.header("mcp-session-id");
    if (id) {
      const session = sessions.get(id);
      // Another token's session looks exactly like a session that does not exist.
      if (!session || session.tokenHash !== tokenHashOf(c))
        return rpcError(c, 404, -32001, "Session not found");
      return session.transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== "POST") {
      return rpcError(c, 400, -32000, "Bad Request: Mcp-Session-Id header is required");
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return rpcError(c, 400, -32700, "Parse error: the body is not JSON");
    }
    if (!isInitializeRequest(body)) {
      return rpcError(c, 400, -32000, "Bad Request: start with an initialize request (no Mcp-Session-Id)");
    }
    return open(c, body);
  }

  return {
    handle,
    get size() {
      return sessions.size;
    },
    /** Closes every session (their SSE streams end), for shutdown. */
    async closeAll(): Promise<void> {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.close().catch(() => {})));
    },
  };
}
export type McpSessions = ReturnType<typeof createMcpSessions>;

/** POST/GET/DELETE /mcp: MCP's Streamable HTTP transport (auth and host check are mounted before). */
export function mcpRoutes(sessions: McpSessions) {
  return new Hono<AppEnv>().all("/", (c) => sessions.handle(c));
}
