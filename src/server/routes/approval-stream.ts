import type { Context } from "hono";
import { type ApprovalStreamEvent, followApprovals } from "../../events/follow-approvals.ts";
import type { Jarvis } from "../../jarvis.ts";
import { clientSignal } from "../client-signal.ts";
import type { AppEnv } from "../env.ts";

export interface ApprovalStreamOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  keepAliveMs?: number;
  /** How long a browser's EventSource waits before reconnecting after the stream drops. */
  retryMs?: number;
}

/**
 * GET /api/approvals/stream: approvals as Server-Sent Events, one JSON `data:` line per event
 * (`pending` with the pending approvals first, then `approval-created`, `approval-decided` and
 * `approval-expired` with the approval, redacted as everywhere), wherever in the cluster they
 * happen. Every reconnect starts with a fresh `pending` snapshot, so there is no `Last-Event-ID`
 * replay to ask for. Any authenticated principal, like GET /api/approvals: a viewer sees what the
 * list shows it. The response starts once the stream listens.
 */
export function approvalStream(jarvis: Jarvis, options: ApprovalStreamOptions = {}) {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const retryMs = options.retryMs ?? 3_000;
  return async (c: Context<AppEnv>) => {
    const events = await followApprovals(jarvis, clientSignal(c));
    const reader = events.getReader();
    const encoder = new TextEncoder();
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const write = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            // closed under us (the client left): the reader's end stops the rest
          }
        };
        write(`retry: ${retryMs}\n\n`);
        keepAlive = setInterval(() => write(": keep-alive\n\n"), keepAliveMs);
        keepAlive.unref?.();
        void (async () => {
          for (;;) {
            const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
            if (done || !value) break;
            write(frame(value));
          }
          clearInterval(keepAlive);
          try {
            controller.close();
          } catch {
            // already closed
          }
        })();
      },
      cancel() {
        clearInterval(keepAlive);
        void reader.cancel().catch(() => {});
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // nginx and similar proxies would otherwise buffer the stream
        "x-accel-buffering": "no",
      },
    });
  };
}

/** One SSE event: JSON.stringify never emits a raw newline, so one `data:` line is enough. */
const frame = (event: ApprovalStreamEvent) => `data: ${JSON.stringify(event)}\n\n`;
