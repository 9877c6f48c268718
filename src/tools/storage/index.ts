import type { Tool } from "../define-tool.ts";
import { cleanupPlan } from "./cleanup-plan.ts";
import { dirSize } from "./dir-size.ts";
import { diskUsage } from "./disk-usage.ts";
import { dockerUsage } from "./docker-usage.ts";

/** The storage toolset (all reads; deleting is docker_prune, gated). */
export const storageTools: Tool[] = [diskUsage, dockerUsage, dirSize, cleanupPlan];
