import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { appContainers } from "./engine.ts";
import { appLabel, templateLabel } from "./plan.ts";

/** deploy_list_apps: what Jarvis deployed, on every host. */
export const listApps = defineTool({
  name: "deploy_list_apps",
  title: "List deployed apps",
  description:
    "Lists the apps Jarvis deployed (deploy_app) on every Docker host, with template, state and image.",
  input: z.strictObject({ host: z.string().min(1).optional() }),
  risk: "read",
  async run(input, ctx) {
    const hosts = input.host ? [ctx.clients.docker.get(input.host)] : ctx.clients.docker.hosts;
    const apps = [];
    for (const host of hosts) {
      const containers = await appContainers(host.docker).catch(() => []);
      for (const c of containers)
        apps.push({
          name: c.Labels[appLabel],
          template: c.Labels[templateLabel] ?? null,
          host: host.name,
          state: c.State,
          status: c.Status,
          image: c.Image,
        });
    }
    return { apps };
  },
});
