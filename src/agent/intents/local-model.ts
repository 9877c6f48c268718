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
  /** Earlier user messages, newest first. */
  earlier: string[];
  /** Arguments of tool calls before this turn, newest first. */
  recent: Array<Record<string, unknown>>;
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content
        .filter((p: { type: string }) => p.type === "text")
        .map((p: { text: string }) => p.text)
        .join(" ")
    : "";

const nouns: Record<string, string> = {
  container: "container",
  host: "Docker host",
  stack: "stack",
  entity: "device",
  library: "Plex library",
  job: "backup job",
  database: "database",
  sunshineClient: "paired client",
  share: "share",
  template: "template",
  app: "deployed app",
  nas: "NAS",
};

/** "restart jellyfin" when there is no jellyfin: say so, rather than "I don't understand". */
export function unknownName(type: string, phrase: string): string {
  return `I don't know a ${nouns[type] ?? type} called "${phrase}". Check the name, or ask me to list them.`;
}

/** The last user message and what became of the tool calls made since. */
export function readTurn(prompt: LanguageModelV4Prompt): Turn {
  let last = -1;
  prompt.forEach((message, index) => {
    if (message.role === "user") last = index;
  });
  const user = prompt[last];
  const text = user?.role === "user" ? textOf(user.content) : "";
  const earlier: string[] = [];
  const recent: Array<Record<string, unknown>> = [];
  for (const message of prompt.slice(0, Math.max(0, last)).reverse()) {
    if (message.role === "user") earlier.push(textOf(message.content));
    if (message.role === "assistant") {
      for (const part of [...message.content].reverse()) {
        if (part.type === "tool-call") {
          const args = typeof part.input === "string" ? safeJson(part.input) : part.input;
          if (args && typeof args === "object") recent.push(args as Record<string, unknown>);
        }
      }
    }
  }
  const calls = new Map<string, Outcome>();
  for (const message of prompt.slice(last + 1)) {
    if (message.role === "assistant") {
      for (const part of message.content) {
        if (part.type === "tool-call") {
          const args = typeof part.input === "string" ? safeJson(part.input) : part.input;
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
  return { text, outcomes: [...calls.values()], earlier, recent };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return {};
  }
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

const secretWords =
  /\b(admin token|api token|api key|token|password|passwd|secret|private key|credentials?)\b/i;

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
    // Never offer to send a secret anywhere, whoever asks (a message body naming a token or password).
    if (
      calls.some(
        (c) =>
          /^(gmail_send|ha_notify|drive_upload)$/.test(c.tool) && secretWords.test(JSON.stringify(c.args)),
      )
    ) {
      return {
        text: "I won't send tokens, passwords or keys anywhere. If someone asked you for one, that is a red flag.",
      };
    }
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
  async function understand(options: LanguageModelV4CallOptions) {
    const turn = readTurn(options.prompt);
    const ctx = { inventory: await inventory(), now: now(), recent: turn.recent };
    const recognition = recognize(turn.text, ctx) ?? recognize.followUp(turn.text, turn.earlier, ctx);
    return { turn, ctx, recognition };
  }
  async function step(options: LanguageModelV4CallOptions) {
    const { turn, ctx, recognition } = await understand(options);
    const available = new Set((options.tools ?? []).map((t) => t.name));
    if (!recognition) {
      const miss = recognize.diagnose(turn.text, ctx);
      if (miss) return { text: unknownName(miss.type, miss.phrase) };
    }
    return decide(recognition, turn, ctx, available);
  }
  return {
    specificationVersion: "v4",
    provider: "jarvis",
    modelId: "local",
    supportedUrls: {},
    async recognizeTurn(options) {
      return (await understand(options)).recognition;
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
