import type { ContainerInspectInfo } from "dockerode";
import { isSecretKey } from "../../redact.ts";
import { defineTool } from "../define-tool.ts";
import { onHost } from "./docker-error.ts";
import { formatInspectPorts, parseHealth } from "./format.ts";
import { containerTarget, resolveInput } from "./resolve.ts";
import { ContainerInput } from "./schemas.ts";

const hidden = "***";
/** Health check output is free text (often a whole HTTP body); a few lines say enough. */
const maxHealthOutput = 500;

/** The password part of `scheme://user:password@host` (DATABASE_URL and friends). */
const urlPassword = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi;

/** `KEY=value` env entries as an object: secret-looking keys' values and passwords inside URLs hidden. */
export function envObject(env: readonly string[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of env ?? []) {
    const eq = entry.indexOf("=");
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? "" : entry.slice(eq + 1);
    out[key] = isSecretKey(key) && value !== "" ? hidden : value.replace(urlPassword, `$1${hidden}@`);
  }
  return out;
}

/** Hides values of secret-looking flags in a command line: `--password=x`, `--api-key x`. */
export function redactArgs(args: readonly string[] | null | undefined): string[] | null {
  if (!args) return null;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const withValue = /^(--?[\w.-]+)=(.*)$/s.exec(arg);
    if (withValue && isSecretKey(withValue[1]!.replace(/^-+/, ""))) {
      out.push(`${withValue[1]}=${hidden}`);
    } else if (/^--?[\w.-]+$/.test(arg) && isSecretKey(arg.replace(/^-+/, "")) && i + 1 < args.length) {
      out.push(arg, hidden);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function labelsOf(labels: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).map(([k, v]) => [k, isSecretKey(k) ? hidden : v]));
}

/** The facts about a container worth reading, from Docker's much larger inspect document. */
export function curateInspect(host: string, info: ContainerInspectInfo) {
  const state = info.State;
  const health = state.Health;
  const entrypoint = info.Config.Entrypoint;
  return {
    host,
    id: info.Id.slice(0, 12),
    name: info.Name.replace(/^\//, ""),
    image: info.Config.Image,
    imageId: info.Image,
    created: info.Created,
    state: {
      status: state.Status,
      running: state.Running,
      exitCode: state.ExitCode,
      startedAt: state.StartedAt,
      finishedAt: state.FinishedAt,
      oomKilled: state.OOMKilled,
      restartCount: info.RestartCount,
      error: state.Error || null,
    },
    health: health
      ? {
          status: parseHealth(health.Status),
          failingStreak: health.FailingStreak,
          log: (health.Log ?? []).slice(-5).map((entry) => ({
            start: entry.Start,
            end: entry.End,
            exitCode: entry.ExitCode,
            output: entry.Output.trim().slice(0, maxHealthOutput),
          })),
        }
      : { status: "none" as const, failingStreak: 0, log: [] },
    restartPolicy: {
      name: info.HostConfig.RestartPolicy?.Name || "no",
      maximumRetryCount: info.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0,
    },
    cmd: redactArgs(info.Config.Cmd),
    entrypoint: redactArgs(typeof entrypoint === "string" ? [entrypoint] : entrypoint),
    env: envObject(info.Config.Env),
    labels: labelsOf(info.Config.Labels),
    mounts: (info.Mounts ?? []).map((m) => ({
      type: m.Type,
      name: m.Name ?? null,
      source: m.Source,
      destination: m.Destination,
      readOnly: !m.RW,
    })),
    ports: formatInspectPorts(info.NetworkSettings?.Ports),
    networks: Object.entries(info.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
      name,
      ipAddress: n.IPAddress || null,
      gateway: n.Gateway || null,
      aliases: (n.Aliases as string[] | null) ?? [],
    })),
  };
}

/** docker_inspect_container: the curated state, health, config and wiring of one container. */
export const inspectContainer = defineTool({
  name: "docker_inspect_container",
  title: "Inspect container",
  description:
    "Shows one container in detail: state (exit code, start/finish times, OOM kill, restart count), healthcheck status with the last 5 check results, restart policy, command, environment (secret values hidden), labels, mounts, ports and networks. Use it to find out why a container is unhealthy, exited or restarting.",
  input: ContainerInput,
  risk: "read",
  target: containerTarget,
  async run(input, ctx) {
    const { host, id, name } = await resolveInput(input, ctx);
    const what = `container "${name}"`;
    const inspect = (signal: AbortSignal) => host.docker.getContainer(id).inspect({ abortSignal: signal });
    const info = await onHost(host, ctx.signal, inspect, { what });
    return curateInspect(host.name, info);
  },
});
