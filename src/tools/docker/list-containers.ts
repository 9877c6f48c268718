import { defineTool } from "../define-tool.ts";
import { type ContainerSummary, stackLabel, summarizeContainer } from "./format.ts";
import { type HostError, onHosts } from "./hosts.ts";
import { ListContainersInput } from "./schemas.ts";

/** docker_list_containers: containers across hosts, with health and compose stack parsed out. */
export const listContainers = defineTool({
  name: "docker_list_containers",
  title: "List containers",
  description:
    "Lists containers (stopped ones too unless all is false) with host, short id, name, image, state, status text, health (healthy, unhealthy, starting, none), compose stack and service, and ports. Without host it covers every host and reports unreachable hosts in errors; stack limits it to one compose project.",
  input: ListContainersInput,
  risk: "read",
  async run(input, ctx): Promise<{ containers: ContainerSummary[]; errors: HostError[] }> {
    const filters = input.stack ? { label: [`${stackLabel}=${input.stack}`] } : undefined;
    const { results, errors } = await onHosts(ctx.clients.docker, input.host, ctx.signal, (host, signal) =>
      host.docker.listContainers({ all: input.all, filters, abortSignal: signal }),
    );
    const containers = results
      .flatMap(({ host, value }) => value.map((c) => summarizeContainer(host.name, c)))
      .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
    return { containers, errors };
  },
});
