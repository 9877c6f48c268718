import { randomUUID } from "node:crypto";
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from "@ai-sdk/provider";
import type { Recognition, Recognize } from "./engine.ts";
import type { IntentContext, Outcome, PlannedCall } from "./intent.ts";
import type { InventorySource } from "./inventory.ts";

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

const examples = [
  '"is anything unhealthy?"',
  '"restart plex"',
  '"show the logs of sonarr from the last hour"',
  '"how full is the media disk?"',
  '"turn off the kitchen lights"',
];

export const notUnderstood = (toolsMissing?: string) =>
  toolsMissing
    ? `I understood that, but it needs the ${toolsMissing} tools, which are not set up on this Jarvis yet.`
    : `I can't do that offline: with no language model configured I understand common homelab commands, such as ${examples.join(", ")}. Set JARVIS_MODEL to a model for anything else.`;

interface Turn {
  text: string;
  outcomes: Outcome[];
}

/** The last user message and what became of the tool calls made since. */
export function readTurn(prompt: LanguageModelV4Prompt): Turn {
  let last = -1;
  prompt.forEach((message, index) => {
    if (message.role === "user") last = index;
  });
  const user = prompt[last];
  const text =
    user?.role === "user"
      ? user.content
          .filter((p) => p.type === "text")
          .map((p) => (p as { text: string }).text)
          .join(" ")
      : "";
  const calls = new Map<string, Outcome>();
  for (const message of prompt.slice(last + 1)) {
    if (message.role === "assistant") {
      for (const part of message.content) {
        if (part.type === "tool-call") {
          const args = typeof part.input === "string" ? JSON.parse(part.input || "{}") : part.input;
          calls.set(part.toolCallId, { tool: part.toolName, args: args as Record<string, unknown> });
        }
      }
    }
    if (message.role === "tool") {
      for (const part of message.content) {
        if (part.type !== "tool-result") continue;
        const outcome = calls.get(part.toolCallId);
        if (!outcome) continue;
        const output = part.output as { type: string; value?: unknown; reason?: string };
        if (output.type === "execution-denied") outcome.denied = output.reason ?? "not approved";
        else if (output.type === "error-text" || output.type === "error-json") {
          const value = String(
            typeof output.value === "string" ? output.value : JSON.stringify(output.value),
          );
          if (/not approved|denied/i.test(value) && !/is denied by policy/.test(value))
            outcome.denied = value;
          else outcome.error = value;
        } else outcome.output = output.value;
      }
    }
  }
  return { text, outcomes: [...calls.values()] };
}

function partsFor(calls: PlannedCall[] | undefined, text: string | undefined): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }];
  if (calls?.length) {
    for (const call of calls) {
      parts.push({
        type: "tool-call",
        toolCallId: `local-${randomUUID().slice(0, 8)}`,
        toolName: call.tool,
        input: JSON.stringify(call.args),
      });
    }
    parts.push({ type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage });
    return parts;
  }
  const id = "local-text";
  parts.push(
    { type: "text-start", id },
    { type: "text-delta", id, delta: text ?? "" },
    { type: "text-end", id },
  );
  parts.push({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage });
  return parts;
}

/** What the engine does next in a turn: tool calls, or the answer. */
export function decide(
  recognition: Recognition | undefined,
  turn: Turn,
  ctx: IntentContext,
  available: ReadonlySet<string>,
): { calls?: PlannedCall[]; text?: string } {
  if (!recognition) return { text: notUnderstood() };
  const { intent, slots } = recognition;
  if (turn.outcomes.length === 0) {
    const calls = intent.plan(slots, ctx);
    const missing = calls.filter((c) => !available.has(c.tool)).map((c) => c.tool.split("_")[0]!);
    if (missing.length) return { text: notUnderstood([...new Set(missing)].join(" and ")) };
    return { calls };
  }
  const more =
    turn.outcomes.length < 8
      ? intent.next?.(slots, turn.outcomes, ctx)?.filter((c) => available.has(c.tool))
      : undefined;
  if (more?.length) return { calls: more };
  return { text: intent.answer(slots, turn.outcomes, ctx) };
}

/**
 * The local intent engine as an AI SDK language model (provider spec v4), so the same loop, gate
 * and approvals drive it: each step it re-reads the conversation, recognizes the last user message
 * and answers with tool calls or with a sentence built from the results.
 */
export function createLocalModel(
  recognize: Recognize,
  inventory: InventorySource,
  now: () => Date = () => new Date(),
): LanguageModelV4 & {
  recognizeTurn(options: LanguageModelV4CallOptions): Promise<Recognition | undefined>;
} {
  async function step(options: LanguageModelV4CallOptions) {
    const turn = readTurn(options.prompt);
    const ctx = { inventory: await inventory(), now: now() };
    const available = new Set((options.tools ?? []).map((t) => t.name));
    const recognition = recognize(turn.text, ctx);
    return decide(recognition, turn, ctx, available);
  }
  return {
    specificationVersion: "v4",
    provider: "jarvis",
    modelId: "local",
    supportedUrls: {},
    async recognizeTurn(options) {
      const turn = readTurn(options.prompt);
      return recognize(turn.text, { inventory: await inventory(), now: now() });
    },
    async doGenerate(options) {
      const { calls, text } = await step(options);
      return {
        content: calls?.length
          ? calls.map((c) => ({
              type: "tool-call" as const,
              toolCallId: `local-${randomUUID().slice(0, 8)}`,
              toolName: c.tool,
              input: JSON.stringify(c.args),
            }))
          : [{ type: "text" as const, text: text ?? "" }],
        finishReason: calls?.length
          ? { unified: "tool-calls", raw: "tool_calls" }
          : { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      };
    },
    async doStream(options) {
      const { calls, text } = await step(options);
      const parts = partsFor(calls, text);
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}
