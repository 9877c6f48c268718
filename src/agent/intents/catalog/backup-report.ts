import { bytes, itemsOf } from "../answers.ts";

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * A plain-text backup report from a backup_list result: one line per job with its last run
 * (status, when, size, error) and last success. Written for a mail or a file a person reads.
 */
export function backupReport(output: unknown, now: Date): string {
  const jobs = itemsOf(output);
  const lines = [`Backup report, ${now.toISOString().slice(0, 16).replace("T", " ")} UTC`, ""];
  if (!jobs.length) lines.push("No backup jobs are configured.");
  for (const job of jobs) {
    const name = text(job.job) ?? text(job.name) ?? "(unnamed job)";
    const last = (job.lastRun ?? undefined) as Record<string, unknown> | undefined;
    const success = job.lastSuccess;
    const successAt =
      text(success) ?? text((success as Record<string, unknown> | null | undefined)?.at) ?? "never";
    if (!last) {
      lines.push(`- ${name}: never run (last success: ${successAt})`);
      continue;
    }
    const size = typeof last.totalBytes === "number" ? `, ${bytes(last.totalBytes)}` : "";
    const when = text(last.finishedAt) ?? text(last.startedAt) ?? "unknown time";
    lines.push(`- ${name}: ${text(last.status) ?? "unknown"} at ${when}${size} (last success: ${successAt})`);
    if (last.error) lines.push(`  error: ${String(last.error).slice(0, 300)}`);
  }
  return lines.join("\n");
}
