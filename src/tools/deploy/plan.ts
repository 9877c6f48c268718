import { randomBytes } from "node:crypto";
import { JarvisError } from "../../errors.ts";
import type { Template } from "./template.ts";

/** Labels that mark what Jarvis deployed (deploy_list_apps, deploy_remove_app, rollback). */
export const appLabel = "jarvis.deploy.app";
export const templateLabel = "jarvis.deploy.template";

/** Exactly what a deploy creates on a host: the approval and deploy_plan_app show this. */
export interface Plan {
  app: string;
  template: string;
  host: string;
  image: string;
  /** The image is not on the host: it is pulled as part of the deploy (only with pull: true). */
  pull: boolean;
  container: {
    name: string;
    command: string[] | null;
    /** Generated secrets show as "(generated secret)"; their values never leave the engine call. */
    env: Record<string, string>;
    ports: Array<{ host: number; container: number }>;
    network: string;
    labels: Record<string, string>;
    healthcheck: { test: string[]; intervalSeconds: number; timeoutSeconds: number; retries: number };
  };
  volumes: Array<{ name: string; path: string }>;
  secrets: string[];
}

const hidden = "(generated secret)";

/** The parameter values: the call's, checked against each parameter's pattern, or the defaults. */
export function paramValues(template: Template, given: Record<string, unknown> = {}): Record<string, string> {
  const unknown = Object.keys(given).filter((key) => !(key in template.params));
  if (unknown.length)
    throw new JarvisError(
      "invalid_input",
      `Template ${template.name} has no parameter ${unknown[0]}; its parameters: ${Object.keys(template.params).join(", ") || "none"}`,
    );
  const out: Record<string, string> = {};
  for (const [key, param] of Object.entries(template.params)) {
    const value = String(given[key] ?? param.default);
    if (!new RegExp(param.pattern).test(value))
      throw new JarvisError(
        "invalid_input",
        `Parameter ${key} of ${template.name}: "${value}" does not match ${param.pattern}`,
      );
    out[key] = value;
  }
  return out;
}

/** Renders `{{name}}`, `{{param}}` and `{{secret:id}}` (secrets from `secrets`, or hidden). */
function render(
  text: string,
  vars: Record<string, string>,
  secrets: Map<string, string> | undefined,
  used: Set<string>,
) {
  return text.replace(
    /\{\{\s*(secret:)?([a-z][a-z0-9_]*)\s*\}\}/g,
    (_, secret: string | undefined, key: string) => {
      if (secret) {
        used.add(key);
        return secrets?.get(key) ?? hidden;
      }
      const value = vars[key];
      if (value === undefined)
        throw new JarvisError("invalid_config", `Template placeholder {{${key}}} has no value`);
      return value;
    },
  );
}

/**
 * The plan of one deploy. Without `secrets` the secret values are hidden (for showing it); with them,
 * the same plan carries the values (for creating the container), and only there.
 */
export function planDeploy(
  template: Template,
  input: { name: string; host: string; params?: Record<string, unknown> },
  options: { imagePresent: boolean; secrets?: Map<string, string> },
): Plan {
  const vars = { ...paramValues(template, input.params), name: input.name };
  const used = new Set<string>();
  const r = (text: string) => render(text, vars, options.secrets, used);
  const env = Object.fromEntries(Object.entries(template.env).map(([k, v]) => [k, r(v)]));
  const image = r(template.image);
  return {
    app: input.name,
    template: template.name,
    host: input.host,
    image,
    pull: !options.imagePresent,
    container: {
      name: input.name,
      command: template.command?.map(r) ?? null,
      env,
      ports:
        template.network === "bridge"
          ? template.ports.map((p) => ({ host: Number(r(String(p.host))), container: p.container }))
          : [],
      network: template.network,
      labels: {
        ...Object.fromEntries(Object.entries(template.labels).map(([k, v]) => [k, r(v)])),
        [appLabel]: input.name,
        [templateLabel]: template.name,
      },
      healthcheck: {
        test: template.healthcheck.test.map(r),
        intervalSeconds: template.healthcheck.intervalSeconds,
        timeoutSeconds: template.healthcheck.timeoutSeconds,
        retries: template.healthcheck.retries,
      },
    },
    volumes: template.volumes.map((v) => ({ name: `${input.name}-${v.name}`, path: v.path })),
    secrets: [...used].sort(),
  };
}

/** Random secrets for a template's `{{secret:id}}` placeholders: 32 bytes, URL-safe base64. */
export function generateSecrets(ids: readonly string[]): Map<string, string> {
  return new Map(ids.map((id) => [id, randomBytes(32).toString("base64url")]));
}
