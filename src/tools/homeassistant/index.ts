import type { Tool } from "../define-tool.ts";
import { callServiceTool } from "./call-service.ts";
import { entityHistory } from "./entity-history.ts";
import { getState } from "./get-state.ts";
import { listEntities } from "./list-entities.ts";
import { notify } from "./notify.ts";

/** The Home Assistant toolset, in catalog order: reads, then writes. */
export const homeAssistantTools: Tool[] = [listEntities, getState, entityHistory, callServiceTool, notify];
