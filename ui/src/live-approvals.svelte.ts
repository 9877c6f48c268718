import { api } from "./api.ts";
import type { Approval } from "./types.ts";

/** What GET /api/approvals/stream sends, one JSON object per event. */
type StreamEvent =
  | { type: "pending"; approvals: Approval[] }
  | { type: "approval-created" | "approval-decided" | "approval-expired"; approval: Approval };

/** The pending approvals, kept current for the Approvals view and the status strip's count. */
export interface LiveApprovals {
  readonly pending: Approval[];
  /** True once the list was read (from the stream or the API). */
  readonly loaded: boolean;
  /** True while the event stream is connected; false while polling stands in for it. */
  readonly live: boolean;
  readonly error: string;
  /** Reads the list now (after a decision, say), keeping what the stream added meanwhile. */
  refresh(): Promise<void>;
  close(): void;
}

/**
 * One EventSource on GET /api/approvals/stream (same origin: the session cookie authenticates it)
 * keeps the pending approvals current from every surface and every server process. Each connection
 * starts with the whole pending list, so a reconnect misses nothing. While the stream is down the
 * list is polled every `pollMs` instead, and a closed stream is reopened on each poll.
 */
export function createLiveApprovals(options: { pollMs?: number } = {}): LiveApprovals {
  const pollMs = options.pollMs ?? 10_000;
  let pending = $state<Approval[]>([]);
  let loaded = $state(false);
  let live = $state(false);
  let error = $state("");
  /** Pending approvals by id, with the order of the update that brought each. */
  const known = new Map<string, { approval: Approval; seq: number }>();
  /** Approvals no longer pending: a late or stale copy never brings them back. */
  const gone = new Set<string>();
  let seq = 0;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const show = () => {
    pending = [...known.values()]
      .map((k) => k.approval)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    loaded = true;
  };
  const upsert = (approval: Approval) => {
    if (approval.status !== "pending") {
      gone.add(approval.id);
      known.delete(approval.id);
    } else if (!gone.has(approval.id)) known.set(approval.id, { approval, seq: seq++ });
  };
  /** Replaces the list with a snapshot, keeping approvals added after `since`. */
  const replace = (approvals: Approval[], since: number) => {
    for (const [id, k] of known) if (k.seq < since) known.delete(id);
    for (const approval of approvals) upsert(approval);
    show();
  };

  async function refresh() {
    const since = seq;
    try {
      replace((await api<{ approvals: Approval[] }>("/api/approvals?status=pending")).approvals, since);
      error = "";
    } catch (e) {
      error = (e as Error).message;
      loaded = true;
    }
  }

  const poll = (on: boolean) => {
    clearInterval(timer);
    timer = on
      ? setInterval(() => {
          void refresh();
          if (!source) connect();
        }, pollMs)
      : undefined;
  };

  function connect() {
    if (closed || typeof EventSource === "undefined") return;
    const stream = new EventSource("/api/approvals/stream");
    source = stream;
    stream.onmessage = (message) => {
      const event = JSON.parse(message.data) as StreamEvent;
      if (event.type === "pending") {
        replace(event.approvals, seq);
        live = true;
        error = "";
        poll(false);
        return;
      }
      upsert(event.approval);
      show();
    };
    stream.onerror = () => {
      // Dropped: the browser reconnects by itself (and gets a fresh snapshot) unless the server
      // refused the stream outright; polling covers the gap either way.
      live = false;
      if (stream.readyState === EventSource.CLOSED && source === stream) source = undefined;
      if (!timer) {
        void refresh();
        poll(true);
      }
    };
  }

  connect();
  if (!source) {
    void refresh();
    poll(true);
  }
  return {
    get pending() {
      return pending;
    },
    get loaded() {
      return loaded;
    },
    get live() {
      return live;
    },
    get error() {
      return error;
    },
    refresh,
    close() {
      closed = true;
      poll(false);
      source?.close();
      source = undefined;
      live = false;
    },
  };
}
