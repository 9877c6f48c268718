import { defineTool } from "../define-tool.ts";
import { serviceLabel, stackLabel, workingDirLabel } from "./format.ts";
import { type HostError, onHosts } from "./hosts.ts";
import { ListStacksInput } from "./schemas.ts";

/** One compose project on one host. */
export interface Stack {
  name: string;
  host: string;
  services: string[];
  containers: number;
  running: number;
  status: "running" | "partial" | "stopped";
  workingDir: string | null;
}

/** docker_list_stacks: compose projects, grouped from the labels compose puts on its containers. */
export const listStacks = defineTool({
  name: "docker_list_stacks",
  title: "List compose stacks",
  description:
    "Lists Docker Compose stacks (projects) per host with their services, container count, how many run, a status (running, partial, stopped) and the compose working directory. Use it to see which apps are deployed as stacks and which are partly down; docker_list_containers with stack shows the members.",
  input: ListStacksInput,
  risk: "read",
  async run(input, ctx): Promise<{ stacks: Stack[]; errors: HostError[] }> {
    const { results, errors } = await onHosts(ctx.clients.docker, input.host, ctx.signal, (host, signal) =>
      host.docker.listContainers({ all: true, filters: { label: [stackLabel] }, abortSignal: signal }),
    );
    const stacks = new Map<string, Stack & { serviceSet: Set<string> }>();
    for (const { host, value } of results) {
      for (const c of value) {
        const name = c.Labels?.[stackLabel];
        if (!name) continue;
        const key = `${host.name}\u0000${name}`;
        let stack = stacks.get(key);
        if (!stack) {
          const workingDir = c.Labels?.[workingDirLabel] ?? null;
          stack = {
            name,
            host: host.name,
            services: [],
            containers: 0,
            running: 0,
            status: "stopped",
            workingDir,
            serviceSet: new Set(),
          };
          stacks.set(key, stack);
        }
        stack.containers++;
        if (c.State === "running") stack.running++;
        const service = c.Labels?.[serviceLabel];
        if (service) stack.serviceSet.add(service);
      }
    }
    const out = [...stacks.values()].map(
      ({ serviceSet, ...stack }): Stack => ({
        ...stack,
        services: [...serviceSet].sort(),
        status: stack.running === 0 ? "stopped" : stack.running === stack.containers ? "running" : "partial",
      }),
    );
    out.sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
    return { stacks: out, errors };
  },
});
