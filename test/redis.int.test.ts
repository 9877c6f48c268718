import { afterAll, beforeAll, expect, test } from "vitest";
import { createLogger } from "../src/log.ts";
import { connectRedis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server.stop();
});

test("a command sent while Redis is down completes once it is back, and the data survived", async () => {
  const lines: string[] = [];
  const log = createLogger({ level: "debug", write: (line) => lines.push(line) });
  const url = new Secret(server.url);
  const redis = connectRedis(url, log, "test");
  try {
    await redis.set("jarvis:test:kept", "before");
    await server.kill({ hard: true });
    const pending = redis.incr("jarvis:test:counter");
    await server.restart();
    expect(await pending).toBe(1);
    expect(await redis.get("jarvis:test:kept")).toBe("before");
    expect(lines.some((line) => line.includes("redis unavailable"))).toBe(true);
    expect(lines.some((line) => line.includes("redis reconnected"))).toBe(true);
  } finally {
    redis.disconnect();
  }
});
