import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../db/database.ts";
import { diskSamples } from "../../db/schema.ts";
import type { Logger } from "../../log.ts";
import type { Filesystem } from "./mounts.ts";
import type { Sample } from "./trend.ts";

/** Disk usage samples in the database, the memory behind the growth trend. */
export interface DiskSamples {
  record(filesystems: readonly Filesystem[], at?: Date): Promise<void>;
  /** Samples of one mount since a time, oldest first. */
  since(mount: string, since: Date): Promise<Sample[]>;
  /** Drops samples older than a time (the trend never looks that far back). */
  prune(before: Date): Promise<void>;
}

export function createDiskSamples(db: Db): DiskSamples {
  return {
    async record(filesystems, at = new Date()) {
      if (!filesystems.length) return;
      await db
        .insert(diskSamples)
        .values(
          filesystems.map((f) => ({ mount: f.mount, at, sizeBytes: f.sizeBytes, usedBytes: f.usedBytes })),
        );
    },
    async since(mount, since) {
      const rows = await db
        .select()
        .from(diskSamples)
        .where(and(eq(diskSamples.mount, mount), gte(diskSamples.at, since)))
        .orderBy(asc(diskSamples.at));
      return rows.map((r) => ({ at: r.at, usedBytes: r.usedBytes, sizeBytes: r.sizeBytes }));
    },
    async prune(before) {
      await db.delete(diskSamples).where(lt(diskSamples.at, before));
    },
  };
}

export interface DiskSamplerDeps {
  samples: DiskSamples;
  list: () => Promise<Filesystem[]>;
  log: Logger;
}

/** Samples every filesystem once and drops samples older than a year (a schedule drives it). */
export async function sampleDisks(deps: DiskSamplerDeps): Promise<void> {
  try {
    await deps.samples.record(await deps.list());
    await deps.samples.prune(new Date(Date.now() - 366 * 86_400_000));
  } catch (error) {
    deps.log.warn("disk sample failed", { error });
  }
}

/** Samples every filesystem on an interval (first one right away) and keeps a year of them. */
export function startDiskSampler(deps: DiskSamplerDeps & { intervalMs: number }): { stop(): void } {
  const tick = () => sampleDisks(deps);
  void tick();
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
