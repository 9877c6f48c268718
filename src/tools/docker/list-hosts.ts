import type Docker from "dockerode";
import { toJarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { onHost } from "./docker-error.ts";
import { ListHostsInput } from "./schemas.ts";

/** One configured Docker host and whether it answers. */
export interface HostStatus {
  name: string;
  url: string;
  default: boolean;
  reachable: boolean;
  engineVersion: string | null;
  apiVersion: string | null;
  containers: { running: number; total: number } | null;
  error: string | null;
}

interface EngineInfo {
  ContainersRunning?: number;
  Containers?: number;
}

/** dockerode passes an abortSignal on version() and info() although its types do not declare options. */
function engineFacts(docker: Docker, abortSignal: AbortSignal): Promise<[Docker.DockerVersion, EngineInfo]> {
  const withOptions = <T>(call: (...args: never[]) => unknown) =>
    (call as unknown as (options: { abortSignal: AbortSignal }) => Promise<T>).call(docker, { abortSignal });
  return Promise.all([
    withOptions<Docker.DockerVersion>(docker.version),
    withOptions<EngineInfo>(docker.info),
  ]);
}

/** docker_list_hosts: every configured engine, reachable or not; a down host is data, not an error. */
export const listHosts = defineTool({
  name: "docker_list_hosts",
  title: "List Docker hosts",
  description:
    "Lists the configured Docker hosts with whether each is reachable, its engine and API version and how many containers it runs. Use it to learn host names for the other docker tools or to check whether a host is down.",
  input: ListHostsInput,
  risk: "read",
  async run(_input, ctx) {
    const { hosts, defaultHost } = ctx.clients.docker;
    const statuses = await Promise.all(
      hosts.map(async (host): Promise<HostStatus> => {
        const base = { name: host.name, url: host.url, default: host.name === defaultHost };
        try {
          const [version, info] = await onHost(host, ctx.signal, (signal) =>
            engineFacts(host.docker, signal),
          );
          return {
            ...base,
            reachable: true,
            engineVersion: version.Version ?? null,
            apiVersion: version.ApiVersion ?? null,
            containers: { running: info.ContainersRunning ?? 0, total: info.Containers ?? 0 },
            error: null,
          };
        } catch (error) {
          const message = toJarvisError(error).message;
          return {
            ...base,
            reachable: false,
            engineVersion: null,
            apiVersion: null,
            containers: null,
            error: message,
          };
        }
      }),
    );
    return { hosts: statuses };
  },
});
