import type { Approvals, ApprovalView } from "../agent/approvals.ts";
import { viewApproval } from "../agent/approvals.ts";
import type { EventBus } from "./bus.ts";
import { type ApprovalEvent, approvalsChannel } from "./channels.ts";

/**
 * What a follower of approvals gets: the pending approvals when it starts (so a client that
 * reconnects loses nothing and needs no replay), then every approval created or decided on any
 * process, and each pending one it knows of when its expiry passes (nobody publishes expiries:
 * a pending approval simply stops being decidable).
 */
export type ApprovalStreamEvent =
  | { type: "pending"; approvals: ApprovalView[] }
  | ApprovalEvent
  | { type: "approval-expired"; approval: ApprovalView };

/** setTimeout's ceiling (about 24.8 days); an approval lives at most a week. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Follows approvals from any process: listens on the `approvals` channel first, then reads the
 * pending ones, so nothing created between the read and the listening is missed (an event for an
 * approval the snapshot already holds is simply a newer copy). Ends when `signal` aborts or the
 * reader cancels, and stops listening then.
 */
export async function followApprovals(
  deps: { events: EventBus; approvals: Approvals },
  signal?: AbortSignal,
): Promise<ReadableStream<ApprovalStreamEvent>> {
  const queue: ApprovalEvent[] = [];
  let push: ((event: ApprovalEvent) => void) | undefined;
  const unsubscribe = await deps.events.subscribe(approvalsChannel, (event) => {
    if (push) push(event as ApprovalEvent);
    else queue.push(event as ApprovalEvent);
  });
  let pending: ApprovalView[];
  try {
    pending = (await deps.approvals.list({ status: "pending" })).map(viewApproval);
  } catch (error) {
    await unsubscribe();
    throw error;
  }
  const expiries = new Map<string, ReturnType<typeof setTimeout>>();
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    for (const timer of expiries.values()) clearTimeout(timer);
    expiries.clear();
    void unsubscribe();
  };
  return new ReadableStream<ApprovalStreamEvent>({
    start(controller) {
      const send = (event: ApprovalStreamEvent) => {
        if (!done) controller.enqueue(event);
      };
      /** Tells of a pending approval's expiry when it comes, unless it is decided first. */
      const watch = (approval: ApprovalView) => {
        clearTimeout(expiries.get(approval.id));
        expiries.delete(approval.id);
        if (approval.status !== "pending") return;
        const ms = Math.min(Math.max(Date.parse(approval.expiresAt) - Date.now(), 0), maxTimerMs);
        const timer = setTimeout(() => {
          expiries.delete(approval.id);
          send({ type: "approval-expired", approval: { ...approval, status: "expired" } });
        }, ms);
        timer.unref?.();
        expiries.set(approval.id, timer);
      };
      push = (event) => {
        if (done || !event?.approval?.id) return;
        watch(event.approval);
        send(event);
      };
      send({ type: "pending", approvals: pending });
      for (const approval of pending) watch(approval);
      for (const event of queue.splice(0)) push(event);
      const end = () => {
        if (done) return;
        stop();
        controller.close();
      };
      if (signal?.aborted) end();
      else signal?.addEventListener("abort", end, { once: true });
    },
    cancel: stop,
  });
}
