import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { lastBackup, registeredJob } from "./backup-job.ts";
import { appContainers } from "./engine.ts";
import { appLabel, templateLabel } from "./plan.ts";

/** deploy_list_apps: what Jarvis deployed, on every host. */
export const listApps = defineTool({
  name: "deploy_list_apps",
  title: "List deployed apps",
  description:
    "Lists the apps Jarvis deployed (deploy_app) on every Docker host, with template, state, image and whether it is backed up (its backup job, schedule, last success; null when nothing backs it up).",
  input: z.strictObject({ host: z.string().min(1).optional() }),
  risk: "read",
  async run(input, ctx) {
    const hosts = input.host ? [ctx.clients.docker.get(input.host)] : ctx.clients.docker.hosts;
    const apps = [];
    for (const host of hosts) {
      const containers = await appContainers(host.docker).catch(() => []);
      for (const c of containers) {
        const name = c.Labels[appLabel]!;
        const job = registeredJob(ctx, host.name, name);
        const last = job ? await ctx.clients.backups!.runs.recent(job.name, 1) : [];
        const success = job ? await lastBackup(ctx, job.name) : undefined;
        apps.push({
          name,
          template: c.Labels[templateLabel] ?? null,
          host: host.name,
          state: c.State,
          status: c.Status,
          image: c.Image,
          backup: job
            ? {
                job: job.name,
                schedule: job.schedule ?? null,
                lastSuccess: success?.toISOString() ?? null,
                lastRun: last[0] ? { status: last[0].status, at: last[0].startedAt.toISOString() } : null,
              }
            : null,
        });
      }
    }
    return { apps };
  },
});
