import { z } from "zod";
import { defineTool } from "../define-tool.ts";
import { importLibrary, importSource, readPlan, viewPlan } from "./import-common.ts";

/** plex_plan_import: what an import would do, changing nothing. */
export const planImportTool = defineTool({
  name: "plex_plan_import",
  title: "Plan a media import",
  description:
    "Reads the video file names under source and shows where each would go in the Plex libraries (Movies/Title (Year)/Title (Year).ext, TV Shows/Show/Season 01/Show - s01e02.ext). Files whose names cannot be read are listed, not guessed. Changes nothing.",
  input: z.strictObject({ source: importSource, library: importLibrary }),
  risk: "read",
  idempotent: true,
  async run(input, ctx) {
    return viewPlan(await readPlan(input.source, input.library, ctx));
  },
});
