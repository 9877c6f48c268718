import type { Jarvis } from "./jarvis.ts";
import { listFilesystems } from "./tools/storage/mounts.ts";
import { startDiskSampler } from "./tools/storage/samples.ts";

/** Starts the periodic work of the storage and backup toolsets; `stop()` ends it. */
export function startBackground(jarvis: Jarvis): { stop(): void } {
  const running: Array<{ stop(): void }> = [];
  const storage = jarvis.clients.storage;
  if (storage && jarvis.config.storage.sampleMinutes > 0) {
    running.push(
      startDiskSampler({
        samples: storage.samples,
        list: () => listFilesystems(storage.mountsFile),
        intervalMs: jarvis.config.storage.sampleMinutes * 60_000,
        log: jarvis.log.child({ component: "disk-samples" }),
      }),
    );
  }
  return {
    stop: () => {
      for (const job of running) job.stop();
    },
  };
}
