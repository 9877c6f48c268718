import { JarvisError, toJarvisError } from "../../errors.ts";
import { defineTool, type ToolContext } from "../define-tool.ts";
import { registerBackup } from "./backup-job.ts";
import { deployClient } from "./client.ts";
import { credentialName } from "./credentials.ts";
import { appContainers, createApp, hasImage, pullImage, rollback, waitHealthy } from "./engine.ts";
import { generateSecrets, type Plan, planDeploy } from "./plan.ts";
import { type DeployAppInput, DeployAppInput as Input } from "./schemas.ts";

/** The plan for a call (secrets hidden), after checking the name is free. */
export async function planFor(input: DeployAppInput, ctx: ToolContext): Promise<Plan> {
  const template = deployClient(ctx).template(input.template);
  const host = ctx.clients.docker.get(input.host);
  const taken = await appContainers(host.docker, input.name);
  const sameName = await host.docker.listContainers({ all: true, filters: { name: [`^/${input.name}$`] } });
  if (taken.length || sameName.length)
    throw new JarvisError("conflict", `${input.name} already exists on ${host.name}; choose another name`);
  const image = planDeploy(
    template,
    { name: input.name, host: host.name, params: input.params },
    { imagePresent: true },
  ).image;
  return planDeploy(
    template,
    { name: input.name, host: host.name, params: input.params },
    { imagePresent: await hasImage(host.docker, image) },
  );
}

/** deploy_app: creates an app from a template, waits for it to be healthy, registers a database's backup job, and undoes everything on failure. */
export const deployApp = defineTool({
  name: "deploy_app",
  title: "Deploy app",
  description:
    "Deploys an app from a template (deploy_list_templates) on a Docker host: creates its volumes and container with generated secrets, starts it and waits until its healthcheck passes; a database (postgres, mariadb, redis) gets a daily backup job. On any failure it removes everything it created and says why. A missing image is reported, never pulled silently: pass pull: true to pull it as part of the approved call. deploy_plan_app shows exactly what will be created.",
  input: Input,
  risk: "write",
  // The wait for healthy is the template's (up to 30 minutes), not the default tool timeout.
  timeoutMs: 1_900_000,
  target: (input, ctx) => `${ctx.clients.docker.get(input.host).name}/${input.name}`,
  async run(input, ctx) {
    const template = deployClient(ctx).template(input.template);
    const host = ctx.clients.docker.get(input.host);
    const plan = await planFor(input, ctx);
    if (plan.pull && !input.pull)
      throw new JarvisError(
        "not_found",
        `Image ${plan.image} is not on ${host.name}. Jarvis never pulls silently: deploy again with pull: true to pull it as part of the approved call.`,
      );
    const secrets = generateSecrets(plan.secrets);
    const real = planDeploy(
      template,
      { name: input.name, host: host.name, params: input.params },
      { imagePresent: !plan.pull, secrets },
    );
    const created: { volumes: string[]; container?: string } = { volumes: [] };
    const store = ctx.clients.secrets;
    const names = [...secrets.keys()].map((id) => credentialName(host.name, input.name, id));
    const stored: string[] = [];
    try {
      // Stored before anything is created, so an app never runs with credentials Jarvis has lost.
      if (store) {
        for (const [id, value] of secrets) {
          const name = credentialName(host.name, input.name, id);
          await store.put(name, value);
          stored.push(name);
        }
      }
      if (plan.pull) await pullImage(host.docker, plan.image);
      const container = await createApp(host.docker, real, created);
      await waitHealthy(container, template.healthcheck.waitSeconds * 1000, ctx.signal);
    } catch (error) {
      const why = toJarvisError(error).message;
      const removed = await rollback(host.docker, created);
      for (const name of stored) await store?.delete(name).catch(() => false);
      throw new JarvisError(
        "tool_failed",
        `Deploying ${input.name} (${template.name}) on ${host.name} failed: ${why}. Rolled back: ${removed.length ? removed.join(", ") : "nothing had been created"}.`,
        { cause: error },
      );
    }
    // The app runs: a database gets its backup job (a failure to register is reported, not rolled back).
    const backups = await registerBackup(template, input, host, ctx);
    return {
      app: input.name,
      template: template.name,
      host: host.name,
      container: created.container!.slice(0, 12),
      status: "healthy",
      plan,
      credentials: {
        generated: plan.secrets,
        stored: Boolean(store) && names.length > 0,
        // Names in the encrypted secret store (GET /api/secrets lists them); values are never shown.
        secrets: store ? names : [],
        ...(plan.secrets.length && !store
          ? { note: "Generated secrets are set in the container only: this setup has no secret store." }
          : {}),
      },
      ...(backups ? { backups } : {}),
    };
  },
});

/** deploy_plan_app: exactly what deploy_app would create, with secrets hidden; changes nothing. */
export const planApp = defineTool({
  name: "deploy_plan_app",
  title: "Plan app deployment",
  description:
    "Shows exactly what deploy_app would create for the same arguments (image and whether it must be pulled, container, environment with secrets hidden, ports, volumes, healthcheck, labels), and refuses a name already in use. Changes nothing.",
  input: Input,
  risk: "read",
  target: (input, ctx) => `${ctx.clients.docker.get(input.host).name}/${input.name}`,
  run: (input, ctx) => planFor(input, ctx),
});
