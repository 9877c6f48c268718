import { readFileSync } from "node:fs";
import Docker from "dockerode";
import type { DockerHostConfig } from "../../config.ts";
import { JarvisError } from "../../errors.ts";

/** One configured Docker engine. `url` is safe to show (no credentials). */
export interface DockerHost {
  name: string;
  url: string;
  docker: Docker;
}

export interface DockerClients {
  hosts: readonly DockerHost[];
  /** The first configured host: used when a call names none. */
  defaultHost: string;
  /** The host by name (the default when omitted); an unknown name lists the configured ones. */
  get(name?: string): DockerHost;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}

/** dockerode options for unix://, tcp:// (TLS when certificates are given), http(s):// and ssh:// URLs. */
export function dockerOptions(host: DockerHostConfig, sshAgent?: string): Docker.DockerOptions {
  const url = new URL(host.url);
  // No client-wide request timeout: the gate times every call out (per tool, per input) and
  // aborts it through the signal, so a long `docker stop -t 120` is not cut at an arbitrary 30 s.
  const timeout = undefined;
  switch (url.protocol) {
    case "unix:":
      return { socketPath: decodeURIComponent(url.pathname), timeout };
    case "tcp:":
    case "http:":
    case "https:": {
      const tls = host.tls
        ? {
            ca: readFileSync(host.tls.ca),
            cert: readFileSync(host.tls.cert),
            key: readFileSync(host.tls.key),
          }
        : undefined;
      const protocol = tls || url.protocol === "https:" ? "https" : "http";
      const port = url.port || (protocol === "https" ? "2376" : "2375");
      return { protocol, host: url.hostname, port, ...tls, timeout };
    }
    case "ssh:":
      return {
        protocol: "ssh",
        host: url.hostname,
        port: url.port || "22",
        username: decodeURIComponent(url.username) || undefined,
        sshOptions: host.sshKey ? { privateKey: readFileSync(host.sshKey) } : { agent: sshAgent },
        timeout,
      } as Docker.DockerOptions;
    default:
      throw new JarvisError(
        "invalid_config",
        `Docker host ${host.name}: unsupported URL scheme ${url.protocol}`,
      );
  }
}

/** Builds one dockerode client per configured host. */
export function createDockerClients(
  hosts: readonly DockerHostConfig[],
  options: { sshAgent?: string; make?: (o: Docker.DockerOptions) => Docker } = {},
): DockerClients {
  const make = options.make ?? ((o: Docker.DockerOptions) => new Docker(o));
  if (hosts.length === 0)
    throw new JarvisError("invalid_config", "At least one Docker host must be configured");
  const built = hosts.map((host) => ({
    name: host.name,
    url: safeUrl(host.url),
    docker: make(dockerOptions(host, options.sshAgent)),
  }));
  const byName = new Map(built.map((h) => [h.name, h]));
  const defaultHost = built[0]!.name;
  return {
    hosts: built,
    defaultHost,
    get(name) {
      const host = byName.get(name ?? defaultHost);
      if (!host) {
        throw new JarvisError(
          "not_found",
          `Unknown Docker host "${name}". Configured hosts: ${[...byName.keys()].join(", ")}`,
          {
            details: { host: name },
          },
        );
      }
      return host;
    },
  };
}
