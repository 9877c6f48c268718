import type { Jarvis } from "./jarvis.ts";

export interface Reaped {
  calls: number;
  runs: number;
  backups: number;
}

/**
 * Marks what processes that are gone (crashed, killed, or silent past the instance timeout) left
 * running: their tool calls (audit `interrupted`), agent runs (failed, `interrupted`) and backup
 * runs (`interrupted`). Work of live processes, this one included, is left alone. Runs at start-up
 * and, in workers, as a schedule once per instance timeout.
 */
export async function reapGone(
  jarvis: Pick<Jarvis, "audit" | "conversations" | "clients" | "instances" | "log">,
): Promise<Reaped> {
  const { live } = jarvis.instances;
  await jarvis.instances.forgetDeadHere();
  const reaped = {
    calls: await jarvis.audit.markInterrupted(live),
    runs: await jarvis.conversations.markInterrupted(live),
    backups: (await jarvis.clients.backups?.runs.markInterrupted(live)) ?? 0,
  };
  await jarvis.instances.prune();
  const log = jarvis.log.child({ component: "instances" });
  if (reaped.calls) log.warn(`marked ${reaped.calls} tool call(s) of a stopped process interrupted`);
  if (reaped.runs) log.warn(`marked ${reaped.runs} agent run(s) of a stopped process interrupted`);
  if (reaped.backups) log.warn(`marked ${reaped.backups} backup run(s) of a stopped process interrupted`);
  return reaped;
}
