import type { Tool } from "../define-tool.ts";
import { deployApp, planApp } from "./deploy-app.ts";
import { listApps } from "./list-apps.ts";
import { listTemplates } from "./list-templates.ts";
import { removeApp } from "./remove-app.ts";

/** The deploy toolset: templates and apps (reads), a plan (read), deploy (write), remove (destructive). */
export const deployTools: Tool[] = [listTemplates, listApps, planApp, deployApp, removeApp];
