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

type Row = Record<string, unknown>;
const isRecord = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

/** One job's last run, spoken: status and time, its snapshot or its error. */
function lastRunLine(job: Row): string {
  const name = text(job.job) ?? text(job.name) ?? "a job";
  const last = isRecord(job.lastRun) ? job.lastRun : undefined;
  if (!last) return `${name} has never run`;
  const when = text(last.finishedAt) ?? text(last.startedAt) ?? "an unknown time";
  const status = text(last.status) ?? "unknown";
  const detail = last.error
    ? `: ${String(last.error).slice(0, 240)}`
    : text(last.snapshot)
      ? ` (snapshot ${last.snapshot})`
      : "";
  return `${name}: last run ${status} at ${when}${detail}`;
}

/**
 * backup_list, spoken: every job's last run (status, time, snapshot or error) and last success;
 * for one job also its next run and, when asked for, its snapshots (newest first) by id.
 */
export function backupAnswer(output: unknown, options: { snapshots?: boolean } = {}): string {
  if (!isRecord(output)) return "No backup information.";
  if (!Array.isArray(output.jobs)) {
    const parts = [lastRunLine(output)];
    if (text(output.lastSuccess) && output.lastSuccess !== (output.lastRun as Row | null)?.finishedAt)
      parts.push(`last success ${output.lastSuccess}`);
    if (text(output.nextRun)) parts.push(`next run ${output.nextRun}`);
    const snapshots = itemsOf({ s: output.snapshots });
    if (options.snapshots || snapshots.length)
      parts.push(
        snapshots.length
          ? `${snapshots.length} recent snapshot${snapshots.length === 1 ? "" : "s"}: ${snapshots
              .slice(0, options.snapshots ? 10 : 3)
              .map((s) => `${s.id} (${s.time})`)
              .join(", ")}`
          : "no snapshots",
      );
    return `${parts.join("; ")}.`;
  }
  const jobs = itemsOf(output);
  if (!jobs.length) return "No backup jobs are configured.";
  const lines = jobs.map((job) => {
    const failed = isRecord(job.lastRun) && job.lastRun.status !== "ok";
    const success = text(job.lastSuccess);
    return `${lastRunLine(job)}${failed ? ` (last success: ${success ?? "never"})` : ""}`;
  });
  return `${jobs.length} backup job${jobs.length === 1 ? "" : "s"}. ${lines.join(". ")}.`;
}
