import type { EventBus } from "./bus.ts";

/** The event bus of a single process (no Redis): listeners are called synchronously, in order. */
export function createInProcessBus(): EventBus {
  const channels = new Map<string, Set<(event: unknown) => void>>();
  return {
    kind: "in-process",
    async publish(channel, event) {
      // A copy per publish, like Redis: a listener never sees a later mutation of the publisher's object.
      const listeners = channels.get(channel);
      if (!listeners?.size) return;
      const json = JSON.stringify(event);
      for (const listener of [...listeners]) listener(JSON.parse(json));
    },
    async subscribe(channel, listener) {
      const listeners = channels.get(channel) ?? new Set<(event: unknown) => void>();
      channels.set(channel, listeners);
      const own = (event: unknown) => listener(event);
      listeners.add(own);
      return async () => {
        listeners.delete(own);
        if (!listeners.size && channels.get(channel) === listeners) channels.delete(channel);
      };
    },
    async close() {
      channels.clear();
    },
  };
}
