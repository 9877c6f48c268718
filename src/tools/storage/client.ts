import type { Db } from "../../db/database.ts";
import { createDiskSamples, type DiskSamples } from "./samples.ts";

/** What the storage tools need besides Docker: the allowed roots and the usage samples. */
export interface StorageClient {
  /** Directories storage_dir_size may measure (and restores may write to). */
  roots: readonly string[];
  samples: DiskSamples;
  /** Days of samples the trend is fitted over. */
  trendDays: number;
  /** The mount table to read (tests point it at a fixture); default /proc/self/mounts. */
  mountsFile?: string;
}

export function createStorageClient(options: {
  db: Db;
  roots: readonly string[];
  trendDays: number;
  mountsFile?: string;
}): StorageClient {
  return {
    roots: options.roots,
    samples: createDiskSamples(options.db),
    trendDays: options.trendDays,
    mountsFile: options.mountsFile,
  };
}
