#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Config, loadConfig } from "../config.ts";
import { lockHolder } from "../db/lock.ts";
import { JarvisError } from "../errors.ts";
import { createLogger, type Logger } from "../log.ts";
import { Secret } from "../secret.ts";
import { roles } from "../server/tokens.ts";
import { ensureUiBuilt } from "../server/ui-build.ts";
import type { Backend, CallOutcome } from "./backend.ts";
import { runChat } from "./chat.ts";
import { formatApprovals, formatTools } from "./format.ts";
import { createLocalBackend } from "./local-backend.ts";
import { createRemoteBackend } from "./remote-backend.ts";

const usage = `Usage: jarvis <command>   (npm run jarvis -- <command>)

  serve [--role all|api|worker]       run the server (what npm start runs); roles need REDIS_URL
  mcp                                 an MCP server on stdio (for IDEs; logs to stderr)
  chat [message] [--conversation id] talk to the agent (no message: interactive)
  tools list [--json]                 list the tools
  tools call <name> [json] [--json]   call a tool through the gate
  approvals list [--status s] [--json]
  approvals approve <id> [--reason r] [--grant-minutes n]
  approvals deny <id> [--reason r]
  token create --role admin|operator|viewer [--name n] [--scope s]...
  google auth [--port n]              authorise Calendar, Gmail and Drive (OAuth in a browser)

With a server running on this data directory, commands go through its API
(token: JARVIS_TOKEN or <data dir>/admin-token); otherwise they run in-process.
Exit codes: 0 ok, 1 error, 2 usage, 3 approval required.`;

export const exitCodes = { ok: 0, error: 1, usage: 2, approval: 3 } as const;

class UsageError extends Error {}

function pickBackend(config: Config, log: Logger): Promise<Backend> | Backend {
  const serverPid = config.database.url ? undefined : lockHolder(config.dataDir);
  if (!config.client.url && serverPid === undefined) return createLocalBackend(config, log);
  const host = ["0.0.0.0", "::", ""].includes(config.server.host) ? "127.0.0.1" : config.server.host;
  const url = config.client.url ?? `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}`;
  let token = config.client.token;
  if (!token) {
    try {
      token = new Secret(readFileSync(join(config.dataDir, "admin-token"), "utf8").trim());
    } catch {
      throw new JarvisError(
        "unauthorized",
        `A Jarvis server is running (${url}); set JARVIS_TOKEN to an API token to use it`,
      );
    }
  }
  return createRemoteBackend(url, token);
}

function printOutcome(outcome: CallOutcome, json: boolean): number {
  if (outcome.status === "approval_required") {
    const a = outcome.approval;
    if (json) console.log(JSON.stringify({ approval: a }, null, 2));
    else {
      console.log(`Approval required: ${a.tool}${a.target ? ` on ${a.target}` : ""}`);
      console.log(`  approval id: ${a.id}  (expires ${a.expiresAt})`);
      console.log(`  approve with: npm run jarvis -- approvals approve ${a.id}`);
    }
    return exitCodes.approval;
  }
  console.log(JSON.stringify(json ? outcome : outcome.result, null, 2));
  if (!json && outcome.truncated) console.error("(output truncated)");
  return exitCodes.ok;
}

/** Runs one CLI command and returns its exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      role: { type: "string" },
      name: { type: "string" },
      scope: { type: "string", multiple: true },
      reason: { type: "string" },
      status: { type: "string" },
      "grant-minutes": { type: "string" },
      conversation: { type: "string" },
      port: { type: "string" },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? exitCodes.ok : exitCodes.usage;
  }
  const config = loadConfig(env);
  const log = createLogger({
    level:
      command === "serve" || command === "mcp"
        ? config.log.level
        : config.log.level === "debug"
          ? "debug"
          : "warn",
  });

  if (command === "serve") {
    if (values.role !== undefined) {
      if (!["all", "api", "worker"].includes(values.role))
        throw new UsageError(`serve --role takes all, api or worker; got: ${values.role}`);
      config.role = values.role as Config["role"];
    }
    // The server (and the MCP SDK under it) is loaded only by the commands that need it.
    const { checkRole, startServer } = await import("../server/serve.ts");
    checkRole(config);
    await ensureUiBuilt(log);
    const running = await startServer(config, log);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info(`${signal}: shutting down`);
        running.stop().then(resolve, resolve);
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
    return exitCodes.ok;
  }

  if (command === "mcp") {
    const { runMcpStdio } = await import("./mcp-stdio.ts");
    await runMcpStdio(config, log);
    return exitCodes.ok;
  }

  const key = command === "chat" ? "chat" : `${command} ${sub ?? ""}`.trim();
  const known = [
    "chat",
    "tools list",
    "tools call",
    "approvals list",
    "approvals approve",
    "approvals deny",
    "token create",
    "google auth",
  ];
  if (!known.includes(key)) throw new UsageError(`Unknown command: ${key}`);

  const backend = await pickBackend(config, log);
  try {
    switch (key) {
      case "chat": {
        const message = [sub, ...rest].filter((part) => part !== undefined).join(" ");
        return await runChat(backend, message || undefined, { conversationId: values.conversation });
      }
      case "tools list": {
        const tools = await backend.listTools();
        console.log(values.json ? JSON.stringify(tools, null, 2) : formatTools(tools));
        return exitCodes.ok;
      }
      case "tools call": {
        const [name, json] = rest;
        if (!name) throw new UsageError("tools call needs a tool name");
        let args: unknown = {};
        if (json !== undefined) {
          try {
            args = JSON.parse(json);
          } catch {
            throw new UsageError(
              `The arguments must be JSON, for example '{"container": "plex"}'; got: ${json}`,
            );
          }
        }
        return printOutcome(await backend.callTool(name, args), values.json);
      }
      case "approvals list": {
        const approvals = await backend.listApprovals(values.status);
        console.log(values.json ? JSON.stringify(approvals, null, 2) : formatApprovals(approvals));
        return exitCodes.ok;
      }
      case "approvals approve":
      case "approvals deny": {
        const [id] = rest;
        if (!id) throw new UsageError(`${key} needs an approval id`);
        const grant = values["grant-minutes"];
        const grantMinutes = grant === undefined ? undefined : Number(grant);
        if (grantMinutes !== undefined && !(Number.isInteger(grantMinutes) && grantMinutes > 0)) {
          throw new UsageError("--grant-minutes takes a whole number of minutes");
        }
        const decision = sub === "approve" ? "approve" : "deny";
        const result = await backend.decide(id, { decision, reason: values.reason, grantMinutes });
        if (values.json) console.log(JSON.stringify(result, null, 2));
        else {
          console.log(`Approval ${id}: ${result.approval.status}`);
          if (result.run) return printOutcome(result.run, false);
        }
        return exitCodes.ok;
      }
      case "token create": {
        const role = values.role;
        if (!role || !roles.includes(role as never))
          throw new UsageError("token create needs --role admin|operator|viewer");
        const created = await backend.createToken(
          values.name ?? `${role}-token`,
          role as never,
          values.scope ?? [],
        );
        console.log(values.json ? JSON.stringify(created) : created.token);
        if (!values.json) console.error("Store this token now: it is shown only once.");
        return exitCodes.ok;
      }
      case "google auth": {
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
          throw new UsageError("--port takes a port number (1-65535)");
        }
        const { runGoogleAuth } = await import("./google-auth.ts");
        await runGoogleAuth(config, backend, { port });
        return exitCodes.ok;
      }
    }
    return exitCodes.usage;
  } finally {
    await backend.close();
  }
}

/** Maps a thrown error to a message and an exit code. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith?.("ERR_PARSE_ARGS")) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return exitCodes.usage;
  }
  if (error instanceof JarvisError) {
    console.error(
      error.code === "invalid_config" ? error.message : `Error (${error.code}): ${error.message}`,
    );
    return exitCodes.error;
  }
  console.error(`Error: ${(error as Error)?.stack ?? error}`);
  return exitCodes.error;
}

if (import.meta.main) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.exitCode = reportError(error);
    },
  );
}
