import type { Tool } from "../define-tool.ts";
import { memoryForget } from "./forget.ts";
import { memoryRecall } from "./recall.ts";
import { memoryRemember } from "./remember.ts";
import { memoryUpdate } from "./update.ts";

/** The memory toolset: recall (read), then remember, update and forget (writes). */
export const memoryTools: Tool[] = [memoryRecall, memoryRemember, memoryUpdate, memoryForget];
