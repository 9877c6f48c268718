import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase } from "../src/db/database.ts";
import { createJarvis } from "../src/jarvis.ts";
import { silentLogger } from "../src/log.ts";
import { connectRedis } from "../src/redis/connect.ts";
import { Secret } from "../src/secret.ts";
import { testConfig } from "./helpers/jarvis.ts";
import { type RedisServer, startRedis } from "./helpers/redis.ts";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

test("with Redis, a model change makes one re-embedding job that a started queue runs, with progress", async () => {
  const database = await openDatabase({ dataDir: "memory://" });
  const before = await createJarvis(testConfig(), { log: silentLogger, database });
  for (const text of ["the NAS is nas326", "plex runs on the media stack", "backups go to b2 nightly"])
    await before.memory.remember({ text, scope: "global" } as never);
  await before.close();

  const config = testConfig();
  const changed = { ...config, memory: { ...config.memory, embeddingModel: "lexical-128" } };
  const connections = [1, 2].map(() => connectRedis(new Secret(redis.url), silentLogger, "test"));
  // Two processes start on the new model together: one job between them.
  const [a, b] = await Promise.all(
    connections.map((connection) =>
      createJarvis(changed, { log: silentLogger, database, redis: connection }),
    ),
  );
  try {
    const jobs = await a!.jobs.list({ name: "memory.reembed" });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: "waiting", data: { model: "lexical-128" } });
    expect((await a!.memory.status()).pending).toBe(3);
    await b!.jobs.start();
    let done = await b!.jobs.get(jobs[0]!.id);
    while (done?.state !== "completed") {
      await new Promise((r) => setTimeout(r, 50));
      done = await b!.jobs.get(jobs[0]!.id);
    }
    expect(done).toMatchObject({ result: { embedded: 3 }, progress: { embedded: 3 } });
    expect((await a!.memory.status()).pending).toBe(0);
  } finally {
    await a!.close();
    await b!.close();
    for (const connection of connections) connection.disconnect();
    await database.close();
  }
});
