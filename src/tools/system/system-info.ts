import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { dockerError } from "../docker/docker-error.ts";
import { readHostFacts } from "./read-host.ts";

const SystemInfoInput = z.strictObject({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, "a configured host name (letters, digits, '.', '_' or '-')")
    .optional()
    .describe("A Docker host name from docker_list_hosts; default: the machine Jarvis runs on"),
});

interface EngineInfo {
  Name?: string;
  OperatingSystem?: string;
  KernelVersion?: string;
  NCPU?: number;
  MemTotal?: number;
}

/**
 * system_info: the machine Jarvis runs on from procfs and sysfs (OS, kernel, uptime, CPU, load,
 * memory, swap, temperatures); a remote Docker host from its engine's /info, which tells less.
 */
export const systemInfo = defineTool({
  name: "system_info",
  title: "System info",
  description:
    "Shows a host's OS, kernel, uptime, CPU, load, memory and swap, and temperatures. Without host: the machine Jarvis runs on. With host: a Docker host from docker_list_hosts; a host reached over the network reports only what its Docker engine tells (OS, kernel, CPUs, memory). Use it for 'how is the server doing', uptime, load, RAM and temperature questions.",
  input: SystemInfoInput,
  risk: "read",
  idempotent: true,
  target: (input) => input.host,
  async run(input, ctx) {
    const docker = ctx.clients.docker;
    const host = input.host === undefined ? undefined : docker.get(input.host);
    // Local engines (unix sockets) run on this machine, so its own files tell everything.
    if (!host || host.url.startsWith("unix:")) {
      const facts = await readHostFacts(ctx.clients.system?.root ?? "/");
      return { host: host?.name ?? "local", ...facts };
    }
    let info: EngineInfo;
    try {
      info = (await host.docker.info()) as EngineInfo;
    } catch (error) {
      throw dockerError(error, host);
    }
    return {
      host: host.name,
      hostname: info.Name ?? null,
      os: info.OperatingSystem ?? null,
      kernel: info.KernelVersion ?? null,
      cpu: { model: null, cores: null, threads: info.NCPU ?? null },
      memory: info.MemTotal ? { totalBytes: info.MemTotal } : null,
      note: `${host.name} is reached over the network: its Docker engine reports OS, kernel, CPUs and memory, not uptime, load, swap or temperatures.`,
    };
  },
});
