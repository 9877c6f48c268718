import type { Jarvis } from "./jarvis.ts";
import { createBackupScheduler } from "./tools/backups/scheduler.ts";
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
  const backups = jarvis.clients.backups;
  // Always on: a job registered later (a deployed database) has a schedule even if jarvis.yaml has none.
  if (backups) {
    const log = jarvis.log.child({ component: "backup-scheduler" });
    running.push(createBackupScheduler({ backups, log }).start());
  }
  return {
    stop: () => {
      for (const job of running) job.stop();
    },
  };
}
