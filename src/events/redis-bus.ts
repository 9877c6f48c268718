import type { Logger } from "../log.ts";
import type { Redis } from "../redis/connect.ts";
import type { EventBus } from "./bus.ts";

export interface RedisBusOptions {
  /** Key prefix of the streams (one per channel). */
  prefix?: string;
  /** Entries a channel keeps (approximately) for readers that lag. */
  maxLength?: number;
  /** A channel nobody published on for this long disappears from Redis. */
  idleMs?: number;
}

interface Channel {
  key: string;
  /** The id of the last entry delivered (or seen when subscribing): the read goes on after it. */
  lastId: string;
  listeners: Set<(event: unknown) => void>;
}

/**
 * The event bus across processes: one Redis stream per channel (`XADD`), read by one blocking
 * `XREAD` per process on its own connection. Plain Redis pub/sub drops whatever is published
 * while a subscriber reconnects (a Redis restart, a network blip); a stream keeps it (with the
 * append-only file, even across a Redis crash), and each process reads on from the last id it
 * delivered, so events arrive once, in order, after a reconnect.
 */
export function createRedisBus(redis: Redis, log: Logger, options: RedisBusOptions = {}): EventBus {
  const prefix = options.prefix ?? "jarvis:events:";
  const maxLength = options.maxLength ?? 10_000;
  const idleMs = options.idleMs ?? 3_600_000;
  const reader = redis.duplicate({ connectionName: "jarvis-events" });
  reader.on("error", () => {}); // the shared connection logs Redis outages; this one just retries
  let readerId: number | undefined;
  reader.on("close", () => {
    readerId = undefined;
  });
  const channels = new Map<string, Channel>();
  const expiresRefreshed = new Map<string, number>();
  let closed = false;
  let wake: (() => void) | undefined;
  let blocked = false;

  /** Interrupts a blocking read so it picks up a new channel now, not at its timeout. */
  const interrupt = () => {
    if (wake) wake();
    else if (blocked && readerId !== undefined) void redis.client("UNBLOCK", readerId).catch(() => {});
  };

  async function readLoop(): Promise<void> {
    while (!closed) {
      if (!channels.size) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      try {
        readerId ??= Number(await reader.client("ID"));
        const list = [...channels.values()];
        blocked = true;
        const result = (await reader.xread(
          "COUNT",
          500,
          "BLOCK",
          1000,
          "STREAMS",
          ...list.map((c) => c.key),
          ...list.map((c) => c.lastId),
        )) as [string, [string, string[]][]][] | null;
        blocked = false;
        for (const [key, entries] of result ?? []) {
          const channel = [...channels.values()].find((c) => c.key === key);
          if (!channel) continue;
          for (const [id, fields] of entries) {
            channel.lastId = id;
            const json = fields[1];
            if (json === undefined) continue;
            let event: unknown;
            try {
              event = JSON.parse(json);
            } catch {
              continue;
            }
            for (const listener of [...channel.listeners]) {
              try {
                listener(event);
              } catch (error) {
                log.error("event listener failed", { channel: key.slice(prefix.length), error });
              }
            }
          }
        }
      } catch (error) {
        blocked = false;
        if (closed) return;
        log.debug("event read failed, retrying", { error: (error as Error).message });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  const loop = readLoop();

  return {
    kind: "redis",
    async publish(channel, event) {
      const key = prefix + channel;
      const adding = redis.xadd(key, "MAXLEN", "~", maxLength, "*", "e", JSON.stringify(event));
      // The idle expiry is refreshed now and then, not on every event (a run publishes many).
      const now = Date.now();
      if ((expiresRefreshed.get(key) ?? 0) < now - idleMs / 10) {
        expiresRefreshed.set(key, now);
        if (expiresRefreshed.size > 10_000) expiresRefreshed.clear();
        void redis.pexpire(key, idleMs).catch(() => expiresRefreshed.delete(key));
      }
      await adding;
    },
    async subscribe(channel, listener) {
      let entry = channels.get(channel);
      if (!entry) {
        const key = prefix + channel;
        // Read on from the newest entry now, so what is published from here on is delivered.
        const [last] = (await redis.xrevrange(key, "+", "-", "COUNT", 1)) as [string, string[]][];
        entry = channels.get(channel);
        if (!entry) {
          entry = { key, lastId: last?.[0] ?? "0-0", listeners: new Set() };
          channels.set(channel, entry);
          interrupt();
        }
      }
      const own = (event: unknown) => listener(event);
      entry.listeners.add(own);
      const subscribed = entry;
      return async () => {
        subscribed.listeners.delete(own);
        if (!subscribed.listeners.size && channels.get(channel) === subscribed) channels.delete(channel);
      };
    },
    async close() {
      closed = true;
      channels.clear();
      wake?.();
      reader.disconnect();
      await loop;
    },
  };
}
