import type { UIMessageChunk } from "ai";
import type { Conversations } from "../agent/conversations.ts";
import type { EventBus } from "./bus.ts";
import { conversationChannel, type RunEvent } from "./channels.ts";

/**
 * Follows a conversation's current run from any process: the chunks of the segment in progress
 * (from its next step on) or, for a run paused on approvals, of the segment that resumes it, on
 * whichever process resumes it. The stream ends with that segment. Null when no run is going on
 * or waiting (the AI SDK's resume protocol answers 204 then).
 */
export async function followRun(
  deps: { events: EventBus; conversations: Conversations },
  conversationId: string,
  signal?: AbortSignal,
): Promise<ReadableStream<UIMessageChunk> | null> {
  const queue: RunEvent[] = [];
  let push: ((event: RunEvent) => void) | undefined;
  // Listen first, then look: nothing published between the look and the listening is missed.
  const unsubscribe = await deps.events.subscribe(conversationChannel(conversationId), (event) => {
    if (push) push(event as RunEvent);
    else queue.push(event as RunEvent);
  });
  const run = (await deps.conversations.runs(conversationId)).at(-1);
  if (!run || (run.status !== "running" && run.status !== "awaiting-approval")) {
    await unsubscribe();
    return null;
  }
  // Joined mid-segment: chunks make sense to a client only from the start of a step.
  let started = run.status === "awaiting-approval";
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    void unsubscribe();
  };
  return new ReadableStream<UIMessageChunk>({
    start(controller) {
      const finish = () => {
        if (done) return;
        stop();
        controller.close();
      };
      push = (event) => {
        if (done || event.runId !== run.id) return;
        if (event.type === "end") {
          finish();
          return;
        }
        if (!started && event.chunk.type !== "start" && event.chunk.type !== "start-step") return;
        started = true;
        controller.enqueue(event.chunk);
      };
      for (const event of queue.splice(0)) push(event);
      signal?.addEventListener("abort", finish, { once: true });
    },
    cancel: stop,
  });
}
