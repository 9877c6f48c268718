import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The prompts shipped with Jarvis (prompts/ at the top of the repository). */
export const shippedPromptsDir = fileURLToPath(new URL("../../prompts", import.meta.url));

export interface Prompts {
  system: string;
  /** Long tool descriptions by tool name (prompts/tools/<tool>.md); tools without one use their own. */
  tools: ReadonlyMap<string, string>;
}

/** Loads the system prompt and long tool descriptions once, at start-up. */
export function loadPrompts(dir: string = shippedPromptsDir): Prompts {
  const systemPath = join(dir, "system.md");
  if (!existsSync(systemPath)) throw new Error(`No system prompt at ${systemPath}`);
  const tools = new Map<string, string>();
  const toolsDir = join(dir, "tools");
  if (existsSync(toolsDir)) {
    for (const file of readdirSync(toolsDir)) {
      if (file.endsWith(".md"))
        tools.set(file.slice(0, -3), readFileSync(join(toolsDir, file), "utf8").trim());
    }
  }
  return { system: readFileSync(systemPath, "utf8").trim(), tools };
}
