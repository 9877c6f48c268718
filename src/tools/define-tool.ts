import type { z } from "zod";
import type { Source } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Clients } from "./clients.ts";

export type Risk = "read" | "write" | "destructive";
export type Role = "admin" | "operator" | "viewer";

/** What a call acts on: one thing, or a set of things decided one by one. */
export type Target = string | readonly string[];

/** Who is asking: an API token's owner, the local CLI user, an alert source. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

/** What a tool's `run` gets besides its input. Tools never see the gate, the policy or the database. */
export interface ToolContext {
  clients: Clients;
  signal: AbortSignal;
  log: Logger;
  source: Source;
  principal: Principal;
  /** The agent conversation that made the call, if any (where a memory came from). */
  conversationId?: string;
  /**
   * In `run`: the target the gate decided on (a set's members joined with commas). A tool that
   * names its target from live state checks that it still acts on exactly this.
   */
  target?: string;
}

/**
 * A tool: a name, descriptions for people and models, a zod input schema, its risk, the target it
 * acts on, and `run`. It holds no permission code: the gate (`runTool`) decides.
 */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of many input types; `run` is contravariant in it
export interface Tool<Input = any, Output = unknown> {
  /** `<system>_<verb>_<noun>`, snake_case. */
  name: string;
  title: string;
  description: string;
  input: z.ZodType<Input>;
  /**
   * The input's JSON Schema when it did not come from zod (a mounted MCP server's tool): surfaces
   * show this one; `input` then only checks that the arguments are an object.
   */
  inputJsonSchema?: Record<string, unknown>;
  output?: z.ZodType<Output>;
  /** A fixed risk, or one that depends on the input (reading a sensor vs unlocking a door). */
  risk: Risk | ((input: Input) => Risk);
  /**
   * Names what the call acts on (`local/plex`), for policy rules, approvals and audit. It gets the
   * same validated input object that `run` gets afterwards. A list names a set (all the lights):
   * the policy decides each member and the strictest decision wins, a destructive set always asks,
   * and approvals and audit record the members joined with commas.
   */
  target?: (input: Input, ctx: ToolContext) => Target | undefined | Promise<Target | undefined>;
  /**
   * What an approver should know before approving (people it would interrupt: "2 people are
   * streaming from Plex"). Asked only when the call needs an approval; a failure or a slow answer
   * leaves the request without it.
   */
  warn?: (input: Input, ctx: ToolContext, target: string | undefined) => Promise<string | undefined>;
  /** Calling it again with the same input changes nothing more (MCP's idempotentHint), where known. */
  idempotent?: boolean;
  /** Acts on systems beyond the homelab Jarvis knows (MCP's openWorldHint); mounted tools may. */
  openWorld?: boolean;
  /** Overrides the configured default timeout, fixed or from the input (a stop with its own grace period). */
  timeoutMs?: number | ((input: Input) => number);
  run(input: Input, ctx: ToolContext): Promise<Output>;
}

/** Identity function that exists for type inference, as the AI SDK's `tool()` does. */
export function defineTool<Input, Output>(tool: Tool<Input, Output>): Tool<Input, Output> {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(tool.name)) {
    throw new Error(`Tool name ${tool.name} must be <system>_<verb>_<noun> in snake_case`);
  }
  return tool;
}

/** The risk of one call. */
export function riskOf<Input>(tool: Tool<Input>, input: Input): Risk {
  return typeof tool.risk === "function" ? tool.risk(input) : tool.risk;
}
