/** Stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/**
 * Events that must reach every Jarvis process: the chunks of a chat run (so a browser connected
 * to one process sees a run another process resumed), approvals created and decided. Events are
 * JSON values; a listener gets them in the order they were published.
 */
export interface EventBus {
  /** "in-process" (one process, no Redis) or "redis" (every process on the same Redis). */
  readonly kind: "in-process" | "redis";
  /** Publishes an event on a channel; resolves once it is accepted (stored, for Redis). */
  publish(channel: string, event: unknown): Promise<void>;
  /** Listens to a channel from now on; resolves once listening, so nothing published after is missed. */
  subscribe(channel: string, listener: (event: unknown) => void): Promise<Unsubscribe>;
  /** Stops every subscription. */
  close(): Promise<void>;
}
