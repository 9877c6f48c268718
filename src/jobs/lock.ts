import { randomUUID } from "node:crypto";
import { JarvisError } from "../errors.ts";
import type { Redis } from "../redis/connect.ts";

/** Deletes the key only if it still holds our token (a lock that expired and was taken is not ours). */
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
/** Extends the key's expiry only if it still holds our token. */
const extendScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export interface LockOptions {
  /** How long the lock lives if its holder dies (renewed every third of it while held). Default 30 s. */
  ttlMs?: number;
  /** How long to wait for a held lock before giving up (default 0: do not wait). */
  waitMs?: number;
}

/**
 * Mutual exclusion per key ("remediate:local/plex", "backup:media-config"): across processes with
 * Redis (`SET key token NX PX ttl`, renewed while held, released only by its holder), within the
 * process without. `run` throws a `conflict` JarvisError when the lock stays held for `waitMs`.
 */
export interface Locks {
  run<T>(key: string, work: () => Promise<T>, options?: LockOptions): Promise<T>;
  /** Whether someone holds the key now. */
  held(key: string): Promise<boolean>;
}

/** Expiring keys owned by a token: what locks and leases (src/jobs/leader.ts) are built on. */
export interface LockBackend {
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Extends the key while it still holds `token`; false once it does not (expired, or taken). */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
  held(key: string): Promise<boolean>;
  /** The token the key holds now, if any. */
  holder(key: string): Promise<string | undefined>;
}

function createLocks(backend: LockBackend): Locks {
  return {
    held: (key) => backend.held(key),
    async run(key, work, options = {}) {
      const ttlMs = options.ttlMs ?? 30_000;
      const token = randomUUID();
      const until = Date.now() + (options.waitMs ?? 0);
      while (!(await backend.acquire(key, token, ttlMs))) {
        if (Date.now() >= until) throw new JarvisError("conflict", `${key} is busy (locked by another run)`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const renew = setInterval(() => void backend.extend(key, token, ttlMs).catch(() => {}), ttlMs / 3);
      renew.unref();
      try {
        return await work();
      } finally {
        clearInterval(renew);
        await backend.release(key, token).catch(() => {});
      }
    },
  };
}

/** Locks in Redis, shared by every process on it. */
export function createRedisLocks(redis: Redis, prefix = "jarvis"): Locks {
  return createLocks(createRedisLockBackend(redis, `${prefix}:lock`));
}

/** Keys `<namespace>:<key>` in Redis, shared by every process on it. */
export function createRedisLockBackend(redis: Redis, namespace: string): LockBackend {
  const k = (key: string) => `${namespace}:${key}`;
  return {
    acquire: async (key, token, ttlMs) => (await redis.set(k(key), token, "PX", ttlMs, "NX")) === "OK",
    extend: async (key, token, ttlMs) =>
      (await redis.eval(extendScript, 1, k(key), token, String(ttlMs))) === 1,
    release: async (key, token) => {
      await redis.eval(releaseScript, 1, k(key), token);
    },
    held: async (key) => (await redis.exists(k(key))) === 1,
    holder: async (key) => (await redis.get(k(key))) ?? undefined,
  };
}

/** Locks in this process (no Redis). */
export function createLocalLocks(): Locks {
  return createLocks(createLocalLockBackend());
}

/** Keys in this process's memory (no Redis). */
export function createLocalLockBackend(): LockBackend {
  const held = new Map<string, { token: string; expires: number }>();
  const live = (key: string) => {
    const entry = held.get(key);
    if (entry && entry.expires <= Date.now()) held.delete(key);
    return held.get(key);
  };
  return {
    acquire: async (key, token, ttlMs) => {
      if (live(key)) return false;
      held.set(key, { token, expires: Date.now() + ttlMs });
      return true;
    },
    extend: async (key, token, ttlMs) => {
      if (live(key)?.token !== token) return false;
      held.set(key, { token, expires: Date.now() + ttlMs });
      return true;
    },
    release: async (key, token) => {
      if (held.get(key)?.token === token) held.delete(key);
    },
    held: async (key) => Boolean(live(key)),
    holder: async (key) => live(key)?.token,
  };
}
