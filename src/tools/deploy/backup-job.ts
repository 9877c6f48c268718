import { randomBytes } from "node:crypto";
import type { BackupDatabase, BackupJob } from "../../config.ts";
import { toJarvisError } from "../../errors.ts";
import type { BackupService } from "../backups/service.ts";
import type { ToolContext } from "../define-tool.ts";
import type { DockerHost } from "../docker/client.ts";
import { credentialName } from "./credentials.ts";
import { paramValues } from "./plan.ts";
import type { Template } from "./template.ts";

/** The secret store name of the deployed databases' repository password (generated on first use). */
export const deployedRepoSecret = "restic/deployed";

/** Who registered a job: the app on its host. */
export const originOf = (host: string, app: string) => `deploy:${host}/${app}`;

/** A backup job's name for an app: deploy-<host>-<app>, in the characters job names allow. */
export const jobNameOf = (host: string, app: string) =>
  `deploy-${host}-${app}`.toLowerCase().replace(/[^a-z0-9_-]/g, "-");

/** The address a Docker host's published ports answer on: loopback for a local socket, else its host name. */
export function hostAddress(host: DockerHost): string {
  if (host.url.startsWith("unix://")) return "127.0.0.1";
  try {
    return new URL(host.url).hostname || "127.0.0.1";
  } catch {
    return "127.0.0.1";
  }
}

/** The job (and database) a deployed app's data is backed up by; undefined for a template without a database. */
export function backupJobFor(
  template: Template,
  input: { name: string; params?: Record<string, unknown> },
  host: DockerHost,
  repository: string,
): { job: BackupJob; database?: BackupDatabase } | undefined {
  if (!template.database) return undefined;
  const name = jobNameOf(host.name, input.name);
  const vars: Record<string, string> = { ...paramValues(template, input.params), name: input.name };
  const r = (text: string | number) =>
    String(text).replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_, key: string) => vars[key] ?? "");
  const base = {
    name,
    repository,
    passwordSecret: deployedRepoSecret,
    paths: [],
    schedule: "@daily",
    keep: { daily: 7, weekly: 4 },
  };
  const pg = template.database === "postgres" ? template.backup?.postgres : undefined;
  if (pg) {
    const database: BackupDatabase = {
      name,
      host: hostAddress(host),
      port: Number(r(pg.port)),
      user: r(pg.user),
      database: r(pg.database),
      // A reference to the generated credential, never a copy of it.
      passwordSecret: credentialName(host.name, input.name, pg.password),
      // Dumped and restored by the container's own pg_dump/pg_restore: their version is the server's.
      container: { name: input.name, host: host.name },
    };
    return { job: { ...base, volumes: [], databases: [name] }, database };
  }
  // No dump: the data volumes, copied with the container stopped (and always started again).
  const volumes = template.volumes.map((v) => ({
    name: `${input.name}-${v.name}`,
    host: host.name,
    stopContainer: input.name,
  }));
  return { job: { ...base, volumes, databases: [] } };
}

/** Registers a deployed app's backup job; says why not instead of failing the deploy. */
export async function registerBackup(
  template: Template,
  input: { name: string; params?: Record<string, unknown> },
  host: DockerHost,
  ctx: ToolContext,
): Promise<Record<string, unknown> | undefined> {
  if (!template.database) return undefined;
  const backups: BackupService | undefined = ctx.clients.backups;
  const repository = backups?.deployRepository;
  if (!backups || !repository || !ctx.clients.secrets)
    return {
      registered: false,
      note: "Not registered: set backups.deployRepository (JARVIS_DEPLOY_BACKUP_REPO) for deployed databases' backups.",
    };
  try {
    const entry = backupJobFor(template, input, host, repository)!;
    if (!(await ctx.clients.secrets.get(deployedRepoSecret)))
      await ctx.clients.secrets.put(deployedRepoSecret, randomBytes(32).toString("base64url"));
    await backups.register({ ...entry, origin: originOf(host.name, input.name) });
    return {
      registered: true,
      job: entry.job.name,
      kind: entry.database ? "pg_dump" : "volumes (container stopped)",
      schedule: entry.job.schedule,
      keep: entry.job.keep,
    };
  } catch (error) {
    return { registered: false, error: toJarvisError(error).message };
  }
}

/** The registered job of a deployed app, if any. */
export function registeredJob(ctx: ToolContext, host: string, app: string): BackupJob | undefined {
  const backups = ctx.clients.backups;
  return backups?.jobs.find((j) => backups.origin(j.name) === originOf(host, app));
}

/** When the last successful backup of a job finished, or undefined. */
export async function lastBackup(ctx: ToolContext, job: string): Promise<Date | undefined> {
  const row = await ctx.clients.backups?.runs.lastSuccess(job);
  return row?.finishedAt ?? undefined;
}
