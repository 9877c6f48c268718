import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import { inputError } from "../input-error.ts";

/**
 * Deploy templates: YAML files describing one app (image, ports, volumes, environment with generated
 * secrets, healthcheck, labels). Strings may hold `{{name}}` (the app's name), `{{<param>}}` (a
 * parameter, from the call or its default) and `{{secret:<id>}}` (a random value made at deploy time).
 */

export const shippedTemplatesDir = fileURLToPath(new URL("./templates", import.meta.url));

const Param = z.strictObject({
  description: z.string().default(""),
  default: z.union([z.string(), z.number()]),
  /** Allowed characters of a value, so a parameter cannot smuggle anything into a field. */
  pattern: z.string().default("^[A-Za-z0-9._-]{1,64}$"),
});

export const Template = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string().min(1),
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  params: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), Param).default({}),
  env: z.record(z.string(), z.string()).default({}),
  /** Published ports (`host: container`), only on the bridge network. */
  ports: z
    .array(z.strictObject({ host: z.union([z.string(), z.number()]), container: z.number().int() }))
    .default([]),
  volumes: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]*$/), path: z.string().startsWith("/") }))
    .default([]),
  network: z.enum(["bridge", "host", "none"]).default("bridge"),
  labels: z.record(z.string(), z.string()).default({}),
  healthcheck: z.strictObject({
    test: z.array(z.string()).min(2),
    intervalSeconds: z.number().positive().default(5),
    timeoutSeconds: z.number().positive().default(5),
    retries: z.number().int().min(1).default(5),
    /** How long deploy_app waits for healthy before rolling back. */
    waitSeconds: z.number().positive().max(1800).default(120),
  }),
  /**
   * A database engine: deploy_app registers a backup job for it. A postgres with `backup.postgres`
   * is dumped (pg_dump on the Docker host's address); any other copies its volumes with the
   * container stopped.
   */
  database: z.enum(["postgres", "mariadb", "redis"]).optional(),
  backup: z
    .strictObject({
      postgres: z
        .strictObject({
          user: z.string().min(1),
          database: z.string().min(1),
          /** The published port on the Docker host (usually "{{port}}"). */
          port: z.union([z.string(), z.number()]),
          /** The id of the generated secret that is the password ({{secret:<id>}}). */
          password: z.string().regex(/^[a-z][a-z0-9_]*$/),
        })
        .optional(),
    })
    .optional(),
});
export type Template = z.infer<typeof Template>;

export function parseTemplate(file: string, text: string): Template {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new JarvisError("invalid_config", `Deploy template ${file}: not valid YAML`, { cause: error });
  }
  const parsed = Template.safeParse(raw);
  if (!parsed.success)
    throw new JarvisError("invalid_config", inputError(`deploy template ${file}`, parsed.error).message);
  return parsed.data;
}

/** The shipped templates, then each user folder's (a user template replaces a shipped one of its name). */
export function loadTemplates(dirs: readonly string[]): Template[] {
  const byName = new Map<string, Template>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      const template = parseTemplate(join(dir, file), readFileSync(join(dir, file), "utf8"));
      byName.set(template.name, template);
    }
  }
  return [...byName.values()];
}
