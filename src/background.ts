import { createDiskMonitor } from "./incidents/monitors/disk.ts";
import { createDomainMonitor } from "./incidents/monitors/domains.ts";
import type { Jarvis } from "./jarvis.ts";
import { reapGone } from "./reap.ts";
import { createBackupScheduler } from "./tools/backups/scheduler.ts";
import { listFilesystems } from "./tools/storage/mounts.ts";
import { sampleDisks } from "./tools/storage/samples.ts";

/** The periodic work, each a schedule of the job queue (fired once per period across processes). */
export const schedules = {
  backups: "backups.schedule",
  diskSamples: "storage.sample",
  diskMonitor: "monitor.disk",
  domainMonitor: "monitor.domains",
  reap: "instances.reap",
} as const;

/** How often due backups are looked for (their cron slots are minutes apart). */
export const backupCheckMs = 30_000;

/**
 * Defines the handlers of the background jobs (every process, so any may run them) and, with
 * `start`, registers the schedules the configuration enables and starts running jobs here (roles
 * worker and all). Backups: a schedule looks for due jobs and enqueues one `backup.run` per job
 * and cron slot (the slot is in its job id, so a slot never runs twice), each under a lock per
 * backup job, retried while another process still runs the previous one.
 */
export async function startBackground(jarvis: Jarvis, options: { start?: boolean } = {}) {
  const { jobs, locks, config } = jarvis;
  const log = jarvis.log.child({ component: "background" });
  const wanted = new Map<string, number>();
  const stoppers: Array<() => void> = [];

  const storage = jarvis.clients.storage;
  if (storage && config.storage.sampleMinutes > 0) {
    const deps = {
      samples: storage.samples,
      list: () => listFilesystems(storage.mountsFile),
      log: log.child({ component: "disk-samples" }),
    };
    jobs.define(schedules.diskSamples, () => sampleDisks(deps));
    wanted.set(schedules.diskSamples, config.storage.sampleMinutes * 60_000);
  }

  const backups = jarvis.clients.backups;
  // Always on: a job registered later (a deployed database) has a schedule even if jarvis.yaml has none.
  if (backups) {
    const scheduler = createBackupScheduler({ backups, log: log.child({ component: "backup-scheduler" }) });
    jobs.define(schedules.backups, async () => {
      const due = await scheduler.dueSlots();
      for (const { job, slot } of due) {
        await jobs.enqueue(
          "backup.run",
          { job, slot: slot.toISOString() },
          {
            jobId: `backup-${job}-${slot.getTime()}`,
            attempts: 20,
            backoff: { type: "fixed", delay: 15_000 },
          },
        );
      }
      return { enqueued: due.map((d) => d.job) };
    });
    jobs.define<{ job: string }>("backup.run", (data, ctx) =>
      locks.run(
        `backup:${data.job}`,
        async () => {
          const report = setInterval(() => {
            const [run] = backups.running(data.job);
            if (run) void ctx.progress({ stage: run.stage, ...(run.progress ?? {}) }).catch(() => {});
          }, 1000);
          try {
            const result = await backups.run(data.job, { trigger: "schedule" });
            await ctx.progress(100);
            return result;
          } finally {
            clearInterval(report);
          }
        },
        { ttlMs: 60_000 },
      ),
    );
    wanted.set(schedules.backups, backupCheckMs);
  }

  const { monitors } = config.incidents;
  const ingest = jarvis.incidents.ingest;
  const monitorLog = log.child({ component: "monitors" });
  if (monitors.disk.enabled && monitors.disk.mounts.length) {
    const monitor = createDiskMonitor({
      mounts: monitors.disk.mounts,
      warning: monitors.disk.warning,
      critical: monitors.disk.critical,
      ingest,
      log: monitorLog,
    });
    jobs.define(schedules.diskMonitor, () => monitor.check());
    wanted.set(schedules.diskMonitor, monitors.disk.intervalSeconds * 1000);
  }
  const network = jarvis.clients.network;
  if (monitors.domains.enabled && network?.domains.length) {
    const monitor = createDomainMonitor({
      network,
      thresholds: { warningDays: monitors.domains.warningDays, criticalDays: monitors.domains.criticalDays },
      ingest,
      log: monitorLog,
    });
    jobs.define(schedules.domainMonitor, () => monitor.check());
    wanted.set(schedules.domainMonitor, monitors.domains.intervalMinutes * 60_000);
    stoppers.push(() => monitor.stop());
  }

  // Work left running by a process that died while others live: marked once per instance timeout.
  jobs.define(schedules.reap, () => reapGone(jarvis));
  wanted.set(schedules.reap, config.instances.timeoutSeconds * 1000);

  if (options.start !== false) {
    for (const id of Object.values(schedules)) {
      const every = wanted.get(id);
      if (every) await jobs.schedule(id, id, { every });
      else await jobs.unschedule(id);
    }
    await jobs.start();
  }
  return {
    stop: () => {
      for (const stop of stoppers) stop();
    },
  };
}
