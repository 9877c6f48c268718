import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { EventBus } from "../src/events/bus.ts";
import { createInProcessBus } from "../src/events/in-process.ts";
import { createRedisBus } from "../src/events/redis-bus.ts";
import { createLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";

const log = createLogger({ level: "silent" });

/** Resolves once `list` holds `n` items (the bus delivers asynchronously on Redis). */
async function until<T>(list: T[], n: number): Promise<T[]> {
  for (let i = 0; i < 400 && list.length < n; i++) await new Promise((r) => setTimeout(r, 25));
  return list;
}

describe("event bus", { timeout: 60_000 }, () => {
  let server: RedisServer;
  const connections: Redis[] = [];
  const buses: EventBus[] = [];
  const redisBus = (prefix: string) => {
    const redis = connectRedis(new Secret(server.url), log, "test-events");
    connections.push(redis);
    const bus = createRedisBus(redis, log, { prefix });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    for (const redis of connections) redis.disconnect();
    await server?.stop();
  });

  test("in-process: listeners get copies in order; unsubscribed listeners get nothing", async () => {
    const bus = createInProcessBus();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = await bus.subscribe("c", (e) => a.push(e));
    await bus.subscribe("c", (e) => b.push(e));
    const event = { n: 1 };
    await bus.publish("c", event);
    event.n = 99;
    await stopA();
    await bus.publish("c", { n: 2 });
    await bus.publish("other", { n: 3 });
    expect(a).toEqual([{ n: 1 }]);
    expect(b).toEqual([{ n: 1 }, { n: 2 }]);
  });

  test("Redis: an event published by one process reaches every subscribed process once, in order", async () => {
    const prefix = `t1:${Date.now()}:`;
    const [one, two, three] = [redisBus(prefix), redisBus(prefix), redisBus(prefix)];
    const seenByTwo: unknown[] = [];
    const seenByThree: unknown[] = [];
    await two.subscribe("run:1", (e) => seenByTwo.push(e));
    await three.subscribe("run:1", (e) => seenByThree.push(e));
    const other: unknown[] = [];
    await three.subscribe("run:2", (e) => other.push(e));
    for (let n = 0; n < 50; n++) await one.publish("run:1", { n });
    expect(await until(seenByTwo, 50)).toEqual(Array.from({ length: 50 }, (_, n) => ({ n })));
    expect(await until(seenByThree, 50)).toEqual(seenByTwo);
    expect(other).toEqual([]);
  });

  test("Redis: what was published before subscribing is not replayed", async () => {
    const prefix = `t2:${Date.now()}:`;
    const [one, two] = [redisBus(prefix), redisBus(prefix)];
    await one.publish("c", { n: "old" });
    const seen: unknown[] = [];
    await two.subscribe("c", (e) => seen.push(e));
    await one.publish("c", { n: "new" });
    expect(await until(seen, 1)).toEqual([{ n: "new" }]);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([{ n: "new" }]);
  });

  test("Redis killed and restarted: events published around the outage arrive once, in order", async () => {
    const prefix = `t3:${Date.now()}:`;
    const [one, two] = [redisBus(prefix), redisBus(prefix)];
    const seen: { n: number }[] = [];
    await two.subscribe("c", (e) => seen.push(e as { n: number }));
    await one.publish("c", { n: 0 });
    await until(seen, 1);
    await server.kill({ hard: true });
    // Published while Redis is down: the commands wait for the reconnect.
    const pending = [one.publish("c", { n: 1 }), one.publish("c", { n: 2 })];
    await server.restart();
    await Promise.all(pending);
    await one.publish("c", { n: 3 });
    expect((await until(seen, 4)).map((e) => e.n)).toEqual([0, 1, 2, 3]);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(4);
  });
});
