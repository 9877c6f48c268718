import type { Tool } from "../define-tool.ts";
import { containerLogs } from "./container-logs.ts";
import { containerStats } from "./container-stats.ts";
import { inspectContainer } from "./inspect-container.ts";
import { listContainers } from "./list-containers.ts";
import { listHosts } from "./list-hosts.ts";
import { listStacks } from "./list-stacks.ts";
import { pruneDocker } from "./prune.ts";
import { removeContainer } from "./remove-container.ts";
import { restartContainer } from "./restart-container.ts";
import { startContainer } from "./start-container.ts";
import { stopContainer } from "./stop-container.ts";

/** The Docker toolset, in catalog order: reads, then writes, then destructive calls. */
export const dockerTools: Tool[] = [
  listHosts,
  listContainers,
  inspectContainer,
  containerLogs,
  containerStats,
  listStacks,
  startContainer,
  stopContainer,
  restartContainer,
  removeContainer,
  pruneDocker,
];
