import { z } from "zod";
import { name, params, standIn } from "./stand-in.ts";

const AppName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, '-' or '_'");

/** Stand-ins for the one-click deploy toolset. */
export const deployTools = [
  standIn({
    name: "deploy_list_templates",
    title: "Deploy templates",
    description:
      "Lists the app templates Jarvis can deploy (postgres, redis…) with their parameters and defaults.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "deploy_list_apps",
    title: "Deployed apps",
    description: "Lists apps deployed from templates: name, template, host, state, ports and data volume.",
    input: z.strictObject({}),
    risk: "read",
  }),
  standIn({
    name: "deploy_app",
    title: "Deploy app",
    description:
      "Deploys a new app from a template under name, with params overriding the template's defaults (version, port, password…), as a compose stack.",
    input: z.strictObject({ template: name(64), name: AppName, params: params().optional() }),
    risk: "write",
    target: (input) => input.name,
  }),
  standIn({
    name: "deploy_remove_app",
    title: "Remove deployed app",
    description: "Removes a deployed app's containers; its data volume too unless keep_data is true.",
    input: z.strictObject({ name: AppName, keep_data: z.boolean().optional() }),
    risk: "destructive",
    target: (input) => input.name,
  }),
];
