import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { deployClient } from "./client.ts";

/** deploy_list_templates: the templates with their parameters and defaults. */
export const listTemplates = defineTool({
  name: "deploy_list_templates",
  title: "List deploy templates",
  description: "Lists the app templates deploy_app can use, with their image, parameters and defaults.",
  input: z.strictObject({}),
  risk: "read",
  async run(_input, ctx) {
    return {
      templates: deployClient(ctx).templates.map((t) => ({
        name: t.name,
        description: t.description,
        image: t.image,
        params: Object.fromEntries(Object.entries(t.params).map(([k, p]) => [k, p.default])),
        secrets: [
          ...new Set([...JSON.stringify(t).matchAll(/\{\{\s*secret:([a-z0-9_]+)/g)].map((m) => m[1]!)),
        ],
        database: t.database ?? null,
      })),
    };
  },
});
