import type { EventBus } from "../../src/events/bus.ts";
import { createInProcessBus } from "../../src/events/in-process.ts";
import { createRedisBus } from "../../src/events/redis-bus.ts";
import { silentLogger } from "../../src/log.ts";
import { connectRedis, type Redis } from "../../src/redis/connect.ts";
import { Secret } from "../../src/secret.ts";
import { startRedis } from "../helpers/redis.ts";
import { percentile, round } from "./stats.ts";

/** A run chunk's size: a text delta with its envelope. */
const payload = (i: number) => ({
  type: "chunk",
  runId: "bench",
  chunk: { type: "text-delta", id: "t", delta: `word ${i} ` },
});

interface Transport {
  publish(i: number): Promise<void>;
  /** Called with each delivered event's index. */
  onDeliver(listener: (i: number) => void): Promise<void>;
}

const overBus = (publisher: EventBus, subscriber: EventBus, channel: string): Transport => ({
  publish: (i) => publisher.publish(channel, { i, ...payload(i) }),
  onDeliver: async (listener) => {
    await subscriber.subscribe(channel, (event) => listener((event as { i: number }).i));
  },
});

/** Plain Redis pub/sub (no history kept), the baseline the streams are compared with. */
const overPubSub = (publisher: Redis, subscriber: Redis, channel: string): Transport => ({
  publish: async (i) => {
    await publisher.publish(channel, JSON.stringify({ i, ...payload(i) }));
  },
  onDeliver: async (listener) => {
    subscriber.on("message", (_c: string, message: string) =>
      listener((JSON.parse(message) as { i: number }).i),
    );
    await subscriber.subscribe(channel);
  },
});

/** Latency of one event at a time (publish → delivered), then the rate of a burst of `burst` events. */
async function measure(transport: Transport, calls: number, burst: number) {
  let waiting: { i: number; resolve: () => void } | undefined;
  let delivered = 0;
  await transport.onDeliver((i) => {
    delivered += 1;
    if (waiting && waiting.i === i) waiting.resolve();
  });
  const latencies: number[] = [];
  for (let i = 0; i < calls + 20; i++) {
    const arrived = new Promise<void>((resolve) => {
      waiting = { i, resolve };
    });
    const start = performance.now();
    await transport.publish(i);
    await arrived;
    if (i >= 20) latencies.push(performance.now() - start); // after a warm-up
  }
  const before = delivered;
  const all = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (delivered - before >= burst) {
        clearInterval(check);
        resolve();
      }
    }, 1);
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: burst }, (_, k) => transport.publish(1_000_000 + k)));
  await all;
  const burstMs = performance.now() - start;
  return {
    p50Ms: round(percentile(latencies, 50), 4),
    p95Ms: round(percentile(latencies, 95), 4),
    burstEventsPerSecond: Math.round(burst / (burstMs / 1000)),
  };
}

/**
 * Event fan-out: the time from publishing a chat run chunk to a listener getting it, one at a time
 * (p50/p95 over `calls`), and the rate of a burst of 5000, for the in-process bus, for the Redis bus
 * between two connections (as between two processes: Redis streams, XADD + blocking XREAD), and for
 * plain Redis pub/sub on the same server as the baseline of the streams' cost.
 */
export async function benchEvents(options: { calls: number }) {
  const burst = 5000;
  const inProcessBus = createInProcessBus();
  const inProcess = await measure(overBus(inProcessBus, inProcessBus, "bench"), options.calls, burst);
  const server = await startRedis();
  const connections: Redis[] = [];
  const connect = () => {
    const redis = connectRedis(new Secret(server.url), silentLogger, "bench");
    connections.push(redis);
    return redis;
  };
  const buses: EventBus[] = [];
  try {
    const [a, b] = [createRedisBus(connect(), silentLogger), createRedisBus(connect(), silentLogger)];
    buses.push(a, b);
    const streams = await measure(overBus(a, b, "bench"), options.calls, burst);
    const pubsub = await measure(overPubSub(connect(), connect(), "jarvis:bench"), options.calls, burst);
    return {
      calls: options.calls,
      burst,
      inProcess,
      redisStreams: streams,
      redisPubSub: pubsub,
      ratioStreamsToInProcessP50: round(streams.p50Ms / inProcess.p50Ms, 1),
      ratioStreamsToPubSubP50: round(streams.p50Ms / pubsub.p50Ms, 2),
      note: "redis-server on loopback with appendfsync always (the test helper's durable setting)",
    };
  } finally {
    for (const bus of buses) await bus.close();
    for (const redis of connections) redis.disconnect();
    await server.stop();
  }
}
