import { userInfo } from "node:os";
import { viewApproval } from "../agent/approvals.ts";
import type { Config } from "../config.ts";
import { lockDataDir } from "../db/lock.ts";
import { createJarvis } from "../jarvis.ts";
import type { Logger } from "../log.ts";
import type { Principal } from "../tools/define-tool.ts";
import { describeTool } from "../tools/describe.ts";
import type { RunResult } from "../tools/run-tool.ts";
import type { Backend, CallOutcome } from "./backend.ts";

function outcome(run: RunResult): CallOutcome {
  if (run.status === "approval_required") return run;
  const { result, truncated, target, auditId, durationMs } = run;
  return { status: "ok", result, truncated, target, auditId, durationMs };
}

/**
 * The core in-process, for when no server is running. Whoever can read the data directory is its
 * admin already, so the local user acts as admin, with `source: "cli"` for policy and audit.
 */
export async function createLocalBackend(config: Config, log: Logger): Promise<Backend> {
  const lock = config.database.url ? undefined : lockDataDir(config.dataDir);
  try {
    const jarvis = await createJarvis(config, { log });
    const user = userInfo().username;
    const principal: Principal = { id: `cli:${user}`, name: user, role: "admin" };
    return {
      describe: `local ${config.dataDir}`,
      listTools: async () => jarvis.registry.list().map(describeTool),
      callTool: async (name, args) =>
        outcome(await jarvis.runTool({ tool: name, args }, { source: "cli", principal })),
      listApprovals: async (status) =>
        (await jarvis.approvals.list({ status: status as never })).map(viewApproval),
      decide: async (id, decision) => {
        const result = await jarvis.decideApproval(id, decision, principal);
        return { approval: result.approval, run: result.run ? outcome(result.run) : undefined };
      },
      createToken: (name, role, scopes) => jarvis.tokens.create({ name, role, scopes }),
      chat: async (input) => {
        const run = await jarvis.agent.send({ ...input, principal, source: "cli" });
        return { conversationId: run.conversationId, stream: run.stream };
      },
      storeSecret: (name, value) => jarvis.clients.secrets!.put(name, value),
      readSecret: (name) => jarvis.clients.secrets!.get(name),
      close: async () => {
        await jarvis.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
