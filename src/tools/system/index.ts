import type { Tool } from "../define-tool.ts";
import { systemInfo } from "./system-info.ts";

/** Facts about the hosts themselves. */
export const systemTools: Tool[] = [systemInfo];
