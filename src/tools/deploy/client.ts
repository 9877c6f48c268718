import { JarvisError } from "../../errors.ts";
import type { ToolContext } from "../define-tool.ts";
import { loadTemplates, shippedTemplatesDir, type Template } from "./template.ts";

/** Deploy templates (shipped plus the user's folder); apps run on the Docker hosts. */
export interface DeployClient {
  templates: readonly Template[];
  template(name: string): Template;
}

export function createDeployClient(settings: { templatesDir?: string }): DeployClient {
  const templates = loadTemplates([
    shippedTemplatesDir,
    ...(settings.templatesDir ? [settings.templatesDir] : []),
  ]);
  return {
    templates,
    template(name) {
      const found = templates.find((t) => t.name === name);
      if (!found)
        throw new JarvisError(
          "not_found",
          `No deploy template ${name}; templates: ${templates.map((t) => t.name).join(", ")}`,
        );
      return found;
    },
  };
}

export function deployClient(ctx: ToolContext): DeployClient {
  if (!ctx.clients.deploy)
    throw new JarvisError("unavailable", "Deployments are not available in this setup");
  return ctx.clients.deploy;
}
