import { createInterface } from "node:readline";
import type { UIMessageChunk } from "ai";
import type { Backend } from "./backend.ts";

interface PendingApproval {
  id: string;
  tool: string;
  target: string | null;
  args: unknown;
}

export interface TurnResult {
  conversationId: string;
  /** Approvals the turn ended waiting on. */
  pending: PendingApproval[];
  error?: string;
}

const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[22m` : text);

function summary(value: unknown, max = 160): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Prints one streamed turn: text as it arrives, each tool call and its outcome, approvals, errors. */
export async function printTurn(
  stream: ReadableStream<UIMessageChunk>,
  conversationId: string,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<TurnResult> {
  const names = new Map<string, string>();
  const result: TurnResult = { conversationId, pending: [] };
  let atLineStart = true;
  const line = (text: string) => {
    write(`${atLineStart ? "" : "\n"}${text}\n`);
    atLineStart = true;
  };
  const reader = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    switch (chunk.type) {
      case "text-delta":
        write(chunk.delta);
        atLineStart = chunk.delta.endsWith("\n");
        break;
      case "tool-input-available":
        names.set(chunk.toolCallId, chunk.toolName);
        line(dim(`→ ${chunk.toolName} ${summary(chunk.input)}`));
        break;
      case "tool-output-available":
        line(dim(`  ✓ ${names.get(chunk.toolCallId) ?? "tool"}: ${summary(chunk.output)}`));
        break;
      case "tool-output-error":
        line(dim(`  ✗ ${names.get(chunk.toolCallId) ?? "tool"}: ${chunk.errorText}`));
        break;
      case "tool-output-denied":
        line(dim(`  ✗ ${names.get(chunk.toolCallId) ?? "tool"}: not approved`));
        break;
      case "data-approval": {
        const approval = chunk.data as PendingApproval;
        result.pending.push(approval);
        line(
          `Approval required: ${approval.tool}${approval.target ? ` on ${approval.target}` : ""} ${summary(approval.args)}`,
        );
        line(`  approval id: ${approval.id}`);
        break;
      }
      case "error":
        result.error = chunk.errorText;
        line(`Error: ${chunk.errorText}`);
        break;
      case "abort":
        line("(stopped)");
        break;
      default:
        break;
    }
  }
  if (!atLineStart) write("\n");
  return result;
}

/** Asks about each pending approval and sends the answers; repeats while the run keeps asking. */
type Ask = (prompt: string) => Promise<string>;

async function settle(backend: Backend, turn: TurnResult, ask: Ask): Promise<TurnResult> {
  let current = turn;
  while (current.pending.length > 0) {
    let next: TurnResult | undefined;
    for (const approval of current.pending) {
      const answer = (
        await ask(`Approve ${approval.tool}${approval.target ? ` on ${approval.target}` : ""}? [y/N] `)
      ).trim();
      const decision = /^(y|yes)$/i.test(answer) ? "approve" : "deny";
      const sent = await backend.chat({
        conversationId: current.conversationId,
        approval: { id: approval.id, decision },
      });
      next = await printTurn(sent.stream, current.conversationId);
    }
    current = next ?? { ...current, pending: [] };
  }
  return current;
}

/**
 * `jarvis chat [message]`: one message, or an interactive session that keeps its conversation.
 * Approvals are asked in place when a terminal is attached; otherwise the command exits with the
 * approval id (exit code 3) so it can be approved elsewhere.
 */
export async function runChat(
  backend: Backend,
  message: string | undefined,
  options: { conversationId?: string } = {},
): Promise<number> {
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  // Lines are read from an iterator, which buffers them: typed-ahead or piped lines are never lost
  // while a turn is still streaming. End of input reads as an empty line.
  const lines = rl[Symbol.asyncIterator]();
  const ask: Ask = async (prompt) => {
    process.stdout.write(prompt);
    const next = await lines.next();
    return next.done ? "" : String(next.value);
  };
  try {
    if (message !== undefined) {
      const sent = await backend.chat({ conversationId: options.conversationId, text: message });
      let turn = await printTurn(sent.stream, sent.conversationId);
      if (turn.pending.length && interactive) turn = await settle(backend, turn, ask);
      if (turn.error) return 1;
      if (turn.pending.length) {
        console.error(`Approve with: npm run jarvis -- approvals approve ${turn.pending[0]!.id}`);
        return 3;
      }
      return 0;
    }
    let conversationId = options.conversationId;
    console.log(dim("Jarvis chat. Empty line or /exit to leave."));
    for (;;) {
      const text = (await ask("you> ")).trim();
      if (!text || text === "/exit") return 0;
      const sent = await backend.chat({ conversationId, text });
      conversationId = sent.conversationId;
      const turn = await printTurn(sent.stream, sent.conversationId);
      if (turn.pending.length) await settle(backend, turn, ask);
    }
  } finally {
    rl.close();
    // An empty line ends the session even while the input stays open (a pipe, a wrapper script).
    process.stdin.unref?.();
  }
}
