import { randomUUID } from "node:crypto";
import {
  convertToModelMessages,
  isStepCount,
  streamText,
  toUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from "ai";
import type { Config, Source } from "../config.ts";
import { JarvisError } from "../errors.ts";
import type { EventBus } from "../events/bus.ts";
import { conversationChannel, type RunEvent } from "../events/channels.ts";
import type { Logger } from "../log.ts";
import type { Principal } from "../tools/define-tool.ts";
import type { Registry } from "../tools/registry.ts";
import type { RunTool } from "../tools/run-tool.ts";
import { createAgentTools, type InputSchemaCache } from "./agent-tools.ts";
import type { Approvals, ApprovalView } from "./approvals.ts";
import type { Conversations } from "./conversations.ts";
import { canApprove } from "./decide-approval.ts";
import { confirmation } from "./intents/confirm.ts";
import { modelErrorMessage } from "./model-error.ts";
import type { ModelChoice } from "./models.ts";
import type { Prompts } from "./prompts.ts";
import { lastUserText, type RecallForRun } from "./recalled-context.ts";
import {
  applyDecisions,
  approvalChunk,
  findApprovalPart,
  pendingApprovalParts,
  supersedePending,
  titleFrom,
  toolCallIds,
} from "./ui-parts.ts";
import { addUsage, type Usage } from "./usage.ts";

export interface AgentDeps {
  conversations: Conversations;
  approvals: Approvals;
  runTool: RunTool;
  registry: Registry;
  model: ModelChoice;
  /** The model for voice runs (the local engine in front of an LLM); `model` when absent. */
  voiceModel?: ModelChoice;
  prompts: Prompts;
  settings: Config["agent"];
  log: Logger;
  /** Recalls long-term memories for the user's message into the instructions (LLMs only). */
  recall?: RecallForRun;
  /**
   * Where every run's chunks are also published (on its conversation's channel), so a client
   * connected to any process can follow a run that another process resumed.
   */
  events?: EventBus;
}

export interface SendInput {
  /** An existing conversation, or a new one with this id (a client-generated id is fine). */
  conversationId?: string;
  /** The new user message. Only its text is used; history always comes from the server. */
  text?: string;
  messageId?: string;
  /** A decision on an approval this conversation waits on: Jarvis's approval id or the SDK's. */
  approval?: { id: string; decision: "approve" | "deny"; reason?: string };
  principal: Principal;
  source: Source;
  signal?: AbortSignal;
}

export interface RunStream {
  conversationId: string;
  runId: string | null;
  /** AI SDK UI message chunks; the route sends them as SSE. */
  stream: ReadableStream<UIMessageChunk>;
}

/** Surfaces where a person types or speaks "yes" to confirm. */
const confirmingSources = new Set<Source>(["chat", "cli", "voice"]);

const emptyStream = (): ReadableStream<UIMessageChunk> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue({ type: "start" });
      controller.enqueue({ type: "finish" });
      controller.close();
    },
  });

/**
 * The agent: runs the AI SDK loop over the tool registry for a conversation kept on the server,
 * pauses when the gate asks for approval, and resumes the same run once every approval it waits on
 * is decided, whichever surface decided it and even after a restart.
 */
export function createAgent(deps: AgentDeps) {
  const { conversations, approvals, log } = deps;
  const inputSchemas: InputSchemaCache = new WeakMap();
  /** Runs resumed in the background, so shutdown can wait for them. */
  const background = new Set<Promise<void>>();

  async function loadConversation(id: string, principal: Principal) {
    const conversation = await conversations.get(id);
    if (!conversation) return undefined;
    if (conversation.owner !== principal.id && principal.role !== "admin") {
      throw new JarvisError("not_found", `No conversation ${id}`);
    }
    return conversation;
  }

  /** Voice answers local-first: common commands in milliseconds even with an LLM configured. */
  const modelFor = (source: Source): ModelChoice =>
    source === "voice" && deps.voiceModel ? deps.voiceModel : deps.model;

  /** Runs one segment of a run: from the stored history until the model answers or pauses. */
  function runSegment(
    runId: string,
    conversationId: string,
    history: UIMessage[],
    context: { principal: Principal; source: Source; signal?: AbortSignal; previousUsage?: Usage },
  ): ReadableStream<UIMessageChunk> {
    const choice = modelFor(context.source);
    const { tools, toolApproval, created } = createAgentTools(
      { ...deps, inputSchemas },
      {
        conversationId,
        runId,
        source: context.source,
        principal: context.principal,
        storedCalls: toolCallIds(history),
      },
    );
    const timeout = AbortSignal.timeout(deps.settings.runTimeoutSeconds * 1000);
    const abortSignal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
    let steps = 0;
    let usage: Usage | undefined;
    let failure: string | undefined;
    // Everything before the last stored message is final; the run appends or extends the last one.
    const from = Math.max(0, history.length - 1);
    let saved = "";
    const save = async (messages: UIMessage[]) => {
      const tail = JSON.stringify(messages.slice(from));
      if (tail === saved) return;
      await conversations.saveMessages(conversationId, messages, from);
      saved = tail;
    };

    const model = (async () => {
      const messages = await convertToModelMessages(history, { tools, ignoreIncompleteToolCalls: true });
      const recalled =
        deps.recall && choice.name !== "local"
          ? await deps.recall(lastUserText(history), abortSignal)
          : undefined;
      const result = streamText({
        model: choice.model,
        instructions: recalled ? `${deps.prompts.system}\n\n${recalled}` : deps.prompts.system,
        messages,
        tools,
        toolApproval,
        stopWhen: isStepCount(deps.settings.maxSteps),
        maxRetries: deps.settings.maxRetries,
        abortSignal,
        // Errors of the run itself (the model unreachable, a timeout); tool errors are results.
        onError: ({ error }) => {
          failure = timeout.aborted
            ? `The run took longer than ${deps.settings.runTimeoutSeconds} s and was stopped.`
            : modelErrorMessage(error, choice);
        },
        onStepEnd: (step) => {
          steps += 1;
          usage = addUsage(usage, step.usage);
        },
      });
      return result.stream;
    })();

    const source = new ReadableStream({
      async start(controller) {
        try {
          const reader = (await model).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            controller.enqueue(value);
          }
          controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
    });

    const ui = toUIMessageStream({
      stream: source as never,
      originalMessages: history,
      generateMessageId: () => randomUUID(),
      // What the client is shown for an error: a tool's own typed message, or the run's failure.
      onError: (error) =>
        error instanceof JarvisError ? error.message : (failure ?? modelErrorMessage(error, choice)),
      onStepEnd: async ({ messages }) => {
        await save(messages);
      },
      onEnd: async ({ messages, outcome, finishReason }) => {
        await save(messages);
        const total = addUsage(context.previousUsage, usage);
        const waiting = pendingApprovalParts(messages.at(-1));
        let status: "done" | "failed" | "aborted" | "awaiting-approval" = "done";
        let stopReason = "completed";
        if (outcome.status === "aborted" || (abortSignal.aborted && !timeout.aborted)) {
          status = "aborted";
          stopReason = "aborted";
        } else if (failure || outcome.status === "failed") {
          status = "failed";
          stopReason = timeout.aborted ? "timeout" : "error";
        } else if (waiting.length > 0) {
          status = "awaiting-approval";
          stopReason = "approval";
        } else if (finishReason === "tool-calls" && steps >= deps.settings.maxSteps) {
          stopReason = "step-limit";
        }
        await conversations.finishRun(runId, { status, stopReason, steps, error: failure, usage: total });
        log.info("agent run segment ended", { run: runId, status, stopReason, steps });
      },
    });

    const channel = conversationChannel(conversationId);
    const publish = (event: RunEvent) => {
      // Not awaited: a connection keeps the order, and the run never waits on its followers.
      deps.events?.publish(channel, event).catch((error) => {
        log.warn("run event not published", { run: runId, error: (error as Error).message });
      });
    };
    // Tell the client Jarvis's approval id (and the exact call) next to the SDK's approval request.
    return ui.pipeThrough(
      new TransformStream<UIMessageChunk, UIMessageChunk>({
        transform(chunk, controller) {
          controller.enqueue(chunk);
          publish({ type: "chunk", runId, chunk });
          if (chunk.type === "tool-approval-request") {
            const approval = created.get(chunk.toolCallId);
            if (approval) {
              const extra = approvalChunk(approval);
              controller.enqueue(extra);
              publish({ type: "chunk", runId, chunk: extra });
            }
          }
        },
        flush() {
          publish({ type: "end", runId });
        },
      }),
    );
  }

  /**
   * Resumes a run waiting on approvals once none is pending: the decisions are written into the
   * stored tool parts (from the approvals table), and the loop continues. Returns null if the run
   * is not waiting, or still waits on another approval.
   */
  async function resume(
    runId: string,
    context: { principal: Principal; signal?: AbortSignal },
  ): Promise<RunStream | null> {
    const run = await conversations.getRun(runId);
    if (run?.status !== "awaiting-approval") return null;
    const rows = await approvals.forRun(runId);
    if (rows.some((row) => row.status === "pending" && row.expiresAt.getTime() > Date.now())) return null;
    if (!(await conversations.transition(runId, ["awaiting-approval"], "running"))) return null;
    const history = applyDecisions(await conversations.messages(run.conversationId), rows);
    await conversations.saveMessages(run.conversationId, history, history.length - 1);
    const stream = runSegment(runId, run.conversationId, history, {
      principal: { id: run.principal, name: run.principal, role: "operator" },
      source: run.source as Source,
      signal: context.signal,
      previousUsage: (run.usage as Usage | null) ?? undefined,
    });
    return { conversationId: run.conversationId, runId, stream };
  }

  return {
    /** Sends a user message or an approval decision; streams the run that follows. */
    async send(input: SendInput): Promise<RunStream> {
      const conversationId = input.conversationId ?? randomUUID();
      const conversation = await loadConversation(conversationId, input.principal);

      if (input.approval) {
        if (!conversation) throw new JarvisError("not_found", `No conversation ${conversationId}`);
        if (!canApprove(input.principal)) {
          throw new JarvisError(
            "forbidden",
            `${input.principal.name} (${input.principal.role}) may not decide approvals`,
          );
        }
        const history = await conversations.messages(conversationId);
        const approval =
          (await approvals.get(input.approval.id)) ??
          (await (async () => {
            const part = findApprovalPart(history, input.approval!.id);
            return part ? approvals.forToolCall(conversationId, part.toolCallId) : undefined;
          })());
        if (!approval || approval.conversationId !== conversationId || !approval.runId) {
          throw new JarvisError(
            "not_found",
            `No approval ${input.approval.id} in conversation ${conversationId}`,
          );
        }
        if (approval.status === "pending") {
          await approvals.decide(
            approval.id,
            input.approval.decision === "approve" ? "approved" : "denied",
            input.principal.id,
            input.approval.reason,
          );
        }
        const resumed = await resume(approval.runId, { principal: input.principal, signal: input.signal });
        return resumed ?? { conversationId, runId: approval.runId, stream: emptyStream() };
      }

      const text = input.text?.trim();
      if (!text) throw new JarvisError("invalid_input", "Send a message with text, or an approval decision");
      // "yes" / "do it" / "cancel" in the same conversation answer what it waits on, where a
      // person types or speaks (never over MCP, where another agent writes the messages).
      const answer = confirmation(text);
      if (answer && conversation && confirmingSources.has(input.source)) {
        const waiting = (await conversations.runs(conversationId))
          .filter((r) => r.status === "awaiting-approval")
          .at(-1);
        const pending = waiting
          ? (await approvals.forRun(waiting.id)).filter((a) => a.status === "pending")
          : [];
        if (waiting && pending.length) {
          if (!canApprove(input.principal)) {
            throw new JarvisError(
              "forbidden",
              `${input.principal.name} (${input.principal.role}) may not confirm approvals`,
            );
          }
          for (const row of pending) {
            await approvals.decide(
              row.id,
              answer === "approve" ? "approved" : "denied",
              input.principal.id,
              `said "${text}"`,
            );
          }
          const resumed = await resume(waiting.id, { principal: input.principal, signal: input.signal });
          return resumed ?? { conversationId, runId: waiting.id, stream: emptyStream() };
        }
      }
      const isNew = !conversation;
      let history = isNew ? [] : await conversations.messages(conversationId);
      // A new message moves on from approvals still pending in this conversation: they are denied.
      for (const run of isNew ? [] : await conversations.runs(conversationId)) {
        if (run.status !== "awaiting-approval") continue;
        for (const row of await approvals.forRun(run.id)) {
          if (row.status === "pending") {
            await approvals
              .decide(row.id, "denied", input.principal.id, "superseded by a new message")
              .catch(() => {});
          }
        }
        await conversations.finishRun(run.id, { status: "done", stopReason: "superseded", steps: 0 });
      }
      history = supersedePending(history);
      const userMessage: UIMessage = {
        id:
          input.messageId && !history.some((m) => m.id === input.messageId) ? input.messageId : randomUUID(),
        role: "user",
        parts: [{ type: "text", text }],
      };
      const superseded = history.length;
      history = [...history, userMessage];
      // One statement: the conversation (if new), the user's message and the run.
      const run = await conversations.beginRun({
        conversationId,
        source: input.source,
        principal: input.principal.id,
        model: modelFor(input.source).name,
        create: isNew ? { owner: input.principal.id, title: titleFrom(text) } : undefined,
        messages: history,
        from: superseded > 0 ? superseded - 1 : 0,
      });
      const stream = runSegment(run.id, conversationId, history, input);
      return { conversationId, runId: run.id, stream };
    },

    /**
     * An approval a run waits on was decided elsewhere (API, CLI, another surface): resume the run
     * in the background, consuming its stream, once nothing else is pending.
     */
    async onApprovalDecided(approval: ApprovalView): Promise<void> {
      if (!approval.runId) return;
      const resumed = await resume(approval.runId, {
        principal: { id: approval.requester, name: approval.requester, role: "operator" },
      });
      if (!resumed) return;
      const drained = (async () => {
        const reader = resumed.stream.getReader();
        try {
          while (!(await reader.read()).done) {
            // drain: the run persists its own messages and status
          }
        } catch (error) {
          log.error("resumed run failed", { run: approval.runId, error });
        }
      })();
      background.add(drained);
      void drained.finally(() => background.delete(drained));
    },

    /** Waits for runs resumed in the background (before shutdown, or in the CLI before exit). */
    async idle(): Promise<void> {
      while (background.size) await Promise.allSettled([...background]);
    },

    conversations,
  };
}
export type Agent = ReturnType<typeof createAgent>;
