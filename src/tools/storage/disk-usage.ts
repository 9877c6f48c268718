import { isAbsolute } from "node:path";
import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import type { StorageClient } from "./client.ts";
import { filesystemOf, listFilesystems } from "./mounts.ts";
import { DiskUsageInput } from "./schemas.ts";
import { fitTrend, type Trend } from "./trend.ts";

/** Each filesystem with its growth trend from the recorded samples, when there are enough. */
async function withTrend<T extends { mount: string; freeBytes: number }>(
  storage: StorageClient | undefined,
  fs: T,
): Promise<T & { trend?: Trend; daysUntilFull?: number | null }> {
  if (!storage) return fs;
  const since = new Date(Date.now() - storage.trendDays * 86_400_000);
  const trend = fitTrend(await storage.samples.since(fs.mount, since), fs.freeBytes);
  return trend ? { ...fs, trend, daysUntilFull: trend.daysUntilFull } : fs;
}

/** storage_disk_usage: df, plus growth per day and days until full from periodic samples. */
export const diskUsage = defineTool({
  name: "storage_disk_usage",
  title: "Disk usage",
  description:
    "Lists mounted filesystems with size, used and free bytes and percent used (like df), with the growth per day and the days until full when enough samples were recorded. With path, only the filesystem that holds that path. Use it for 'how full is the disk' and 'when will it be full' questions.",
  input: DiskUsageInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.path,
  async run(input, ctx) {
    const storage = ctx.clients.storage;
    if (input.path !== undefined && !isAbsolute(input.path)) {
      throw new JarvisError("invalid_input", `path must be absolute (start with /): ${input.path}`);
    }
    const list = input.path
      ? [
          await filesystemOf(input.path, storage?.mountsFile).catch((error) => {
            throw new JarvisError(
              "not_found",
              `Cannot read the filesystem of ${input.path}: ${error.code ?? error.message}`,
            );
          }),
        ]
      : await listFilesystems(storage?.mountsFile);
    return { filesystems: await Promise.all(list.map((fs) => withTrend(storage, fs))) };
  },
});
