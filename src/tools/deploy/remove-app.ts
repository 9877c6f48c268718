import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { appContainers } from "./engine.ts";
import { appLabel } from "./plan.ts";
import { RemoveAppInput } from "./schemas.ts";

/** deploy_remove_app: removes an app Jarvis deployed; its data volumes stay unless keep_data is false. */
export const removeApp = defineTool({
  name: "deploy_remove_app",
  title: "Remove deployed app",
  description:
    "Removes an app Jarvis deployed: stops and removes its container. Its data volumes are kept unless keep_data is false. Only apps deploy_app created can be removed this way.",
  input: RemoveAppInput,
  risk: "destructive",
  timeoutMs: 120_000,
  target: (input, ctx) => `${ctx.clients.docker.get(input.host).name}/${input.name}`,
  async run(input, ctx) {
    const host = ctx.clients.docker.get(input.host);
    const containers = await appContainers(host.docker, input.name);
    if (!containers.length)
      throw new JarvisError(
        "not_found",
        `No app ${input.name} deployed by Jarvis on ${host.name}; deploy_list_apps shows them`,
      );
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
    return {
      app: input.name,
      host: host.name,
      removedContainers: containers.map((c) => c.Id.slice(0, 12)),
      removedVolumes,
      removedSecrets,
      keptVolumes: input.keep_data === false ? [] : volumes.map((v) => v.Name),
    };
  },
});
