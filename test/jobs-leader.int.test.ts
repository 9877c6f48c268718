import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createLeases, type Lease, type Leases } from "../src/jobs/leader.ts";
import { createLocalLockBackend, createRedisLockBackend } from "../src/jobs/lock.ts";
import { silentLogger } from "../src/log.ts";
import { connectRedis, type Redis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";
import { eventually } from "./helpers/unhealthy-container.ts";

/** Leases (leader election) on a real redis-server: two "processes" with their own connections. */
describe("leases on Redis", { timeout: 120_000 }, () => {
  let server: RedisServer;
  const connections: Redis[] = [];
  const held: Lease[] = [];
  /** What each holder's work did, in order: "start a", "stop a", "start b", … */
  let happened: string[] = [];
  const lead = (who: string) => ({
    start: () => void happened.push(`start ${who}`),
    stop: () => void happened.push(`stop ${who}`),
  });

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((lease) => lease.stop()));
    happened = [];
  });
  afterAll(async () => {
    for (const redis of connections) redis.disconnect();
    await server?.stop();
  });

  const namespace = () => `t${randomUUID().slice(0, 8)}:lease`;
  /** A process's view: its own Redis connection and leases named `self`. */
  function processOn(ns: string, self: string, ttlMs: number): { leases: Leases; redis: Redis } {
    const redis = connectRedis(new Secret(server.url), silentLogger, self);
    connections.push(redis);
    const leases = createLeases({
      backend: createRedisLockBackend(redis, ns),
      ttlMs,
      log: silentLogger,
      self,
    });
    return { leases, redis };
  }
  const hold = (leases: Leases, key: string, who: string) => {
    const lease = leases.hold(key, lead(who));
    held.push(lease);
    return lease;
  };

  test("one of two holders leads and keeps renewing its lease; the other waits and never starts", async () => {
    const ns = namespace();
    // A renewal may take up to a third of the TTL before the holder gives up: 500 ms on a busy machine.
    const a = processOn(ns, "a", 1_500);
    const b = processOn(ns, "b", 1_500);
    const leaseA = hold(a.leases, "stream", "a");
    await eventually("a leads", async () => leaseA.leading());
    const leaseB = hold(b.leases, "stream", "b");
    expect(await b.leases.holder("stream")).toBe("a");
    // The key's remaining time goes back up at each renewal: six of them span two TTLs.
    let renewals = 0;
    let last = Number.POSITIVE_INFINITY;
    await eventually("six renewals", async () => {
      const left = await a.redis.pttl(`${ns}:stream`);
      expect(left).toBeGreaterThan(0);
      if (left > last) renewals++;
      last = left;
      await new Promise((r) => setTimeout(r, 20));
      return renewals >= 6;
    });
    expect(leaseB.leading()).toBe(false);
    expect(happened).toEqual(["start a"]);
    expect(await a.leases.holder("stream")).toBe("a");
  });

  test("a holder whose lease was taken (it expired while the holder stalled) stops; the other takes over once it is free", async () => {
    const ns = namespace();
    const a = processOn(ns, "a", 600);
    const b = processOn(ns, "b", 600);
    const leaseA = hold(a.leases, "stream", "a");
    await eventually("a leads", async () => leaseA.leading());
    const leaseB = hold(b.leases, "stream", "b");
    // Someone else holds the key now (as if A's lease had run out and another process took it).
    await a.redis.set(`${ns}:stream`, "intruder#1", "PX", 60_000);
    await eventually("a stops", async () => happened.includes("stop a"));
    expect(leaseA.leading()).toBe(false);
    expect(leaseB.leading()).toBe(false);
    expect(await b.leases.holder("stream")).toBe("intruder");
    await a.redis.del(`${ns}:stream`);
    await eventually("one of them leads again", async () => leaseA.leading() || leaseB.leading());
    expect(leaseA.leading() && leaseB.leading()).toBe(false);
    expect(happened.filter((e) => e.startsWith("start"))).toHaveLength(2);
  });

  test("stop ends the work and releases the lease at once; the other leads without waiting for the TTL", async () => {
    const ns = namespace();
    // A TTL far longer than the test: only the release lets B in.
    const a = processOn(ns, "a", 30_000);
    const b = processOn(ns, "b", 1_500);
    const leaseA = hold(a.leases, "stream", "a");
    await eventually("a leads", async () => leaseA.leading());
    const leaseB = hold(b.leases, "stream", "b");
    await leaseA.stop();
    expect(happened).toEqual(["start a", "stop a"]);
    expect(await a.leases.holder("stream")).not.toBe("a");
    await eventually("b leads", async () => leaseB.leading());
    expect(await a.leases.holder("stream")).toBe("b");
    expect(happened).toEqual(["start a", "stop a", "start b"]);
  });

  test("a holder cut off from Redis stops its work before its lease expires; the other then takes over", async () => {
    const ns = namespace();
    const a = processOn(ns, "a", 3_000);
    const b = processOn(ns, "b", 3_000);
    const leaseA = hold(a.leases, "stream", "a");
    await eventually("a leads", async () => leaseA.leading());
    const leaseB = hold(b.leases, "stream", "b");
    a.redis.disconnect();
    await eventually("b leads", async () => leaseB.leading());
    expect(leaseA.leading()).toBe(false);
    // A's work ended before B's began: never two at once.
    expect(happened).toEqual(["start a", "stop a", "start b"]);
  });

  test("without Redis the one process leads at once; a second hold of the key waits for the first to stop", async () => {
    const leases = createLeases({ backend: createLocalLockBackend(), ttlMs: 600, log: silentLogger });
    const first = hold(leases, "stream", "first");
    await eventually("the first leads", async () => first.leading());
    expect(await leases.holder("stream")).toBe(leases.self);
    const second = hold(leases, "stream", "second");
    await first.stop();
    await eventually("the second leads", async () => second.leading());
    expect(happened).toEqual(["start first", "stop first", "start second"]);
  });
});
