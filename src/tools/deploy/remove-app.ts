import { JarvisError } from "../../errors.ts";
import { safeRepo } from "../backups/restic.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import { lastBackup, registeredJob } from "./backup-job.ts";
import { appContainers } from "./engine.ts";
import { appLabel } from "./plan.ts";
import { RemoveAppInput as Input, type RemoveAppInput } from "./schemas.ts";

/** What an approver of a removal that deletes data should know about its backups. */
async function backupWarning(input: RemoveAppInput, ctx: ToolContext): Promise<string | undefined> {
  if (input.keep_data !== false) return undefined;
  const host = ctx.clients.docker.get(input.host);
  const job = registeredJob(ctx, host.name, input.name);
  const deleted = `This deletes the data of ${input.name}.`;
  if (!job) return `${deleted} Nothing backs it up (no backup job is registered for it).`;
  const last = await lastBackup(ctx, job.name);
  const when = last
    ? `The last backup (job ${job.name}) finished ${last.toISOString()}.`
    : `It has never been backed up (job ${job.name}).`;
  return `${deleted} ${when} ${input.backup_first ? "A backup runs first; nothing is removed if it fails." : "Call again with backup_first: true to back it up before removing."}`;
}

/** deploy_remove_app: removes an app Jarvis deployed; its data volumes stay unless keep_data is false. */
export const removeApp = defineTool({
  name: "deploy_remove_app",
  title: "Remove deployed app",
  description:
    "Removes an app Jarvis deployed: stops and removes its container and unregisters its backup job (its snapshots stay in the repository). Its data volumes are kept unless keep_data is false; then the approval request says when it was last backed up, and backup_first: true runs its backup job before anything is removed. Only apps deploy_app created can be removed this way.",
  input: Input,
  risk: "destructive",
  timeoutMs: 7 * 86_400_000,
  target: (input, ctx) => `${ctx.clients.docker.get(input.host).name}/${input.name}`,
  warn: (input, ctx) => backupWarning(input, ctx),
  async run(input, ctx) {
    const host = ctx.clients.docker.get(input.host);
    const containers = await appContainers(host.docker, input.name);
    if (!containers.length)
      throw new JarvisError(
        "not_found",
        `No app ${input.name} deployed by Jarvis on ${host.name}; deploy_list_apps shows them`,
      );
    const job = registeredJob(ctx, host.name, input.name);
    let backup: Record<string, unknown> | undefined;
    if (input.backup_first) {
      if (!job)
        throw new JarvisError(
          "not_found",
          `No backup job is registered for ${input.name}, so it cannot be backed up first; nothing was removed`,
        );
      // A failed backup throws here: nothing has been removed yet.
      const result = await ctx.clients.backups!.run(job.name, { signal: ctx.signal });
      backup = { job: job.name, snapshot: result.snapshotId, totalBytes: result.totalBytes };
    }
    for (const c of containers) await host.docker.getContainer(c.Id).remove({ force: true });
    const volumes =
      (await host.docker.listVolumes({ filters: { label: [`${appLabel}=${input.name}`] } })).Volumes ?? [];
    const removedVolumes: string[] = [];
    if (input.keep_data === false) {
      for (const v of volumes) {
        await host.docker.getVolume(v.Name).remove();
        removedVolumes.push(v.Name);
      }
    }
    // The app's generated credentials go with its data; kept data keeps the credentials it needs.
    const prefix = `deploy/${host.name}/${input.name}/`;
    const removedSecrets: string[] = [];
    if (input.keep_data === false && ctx.clients.secrets) {
      for (const name of await ctx.clients.secrets.names()) {
        if (name.startsWith(prefix) && (await ctx.clients.secrets.delete(name))) removedSecrets.push(name);
      }
    }
    // Nothing runs to back up any more; the snapshots stay in the repository.
    if (job) await ctx.clients.backups!.unregister(job.name);
    return {
      app: input.name,
      host: host.name,
      removedContainers: containers.map((c) => c.Id.slice(0, 12)),
      removedVolumes,
      removedSecrets,
      keptVolumes: input.keep_data === false ? [] : volumes.map((v) => v.Name),
      ...(backup ? { backupFirst: backup } : {}),
      ...(job ? { backupJobRemoved: { job: job.name, snapshotsKeptIn: safeRepo(job.repository) } } : {}),
    };
  },
});
