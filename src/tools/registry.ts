import type { Tool } from "./define-tool.ts";

/** The tool registry: an explicit list, looked up by name. */
export interface Registry {
  list(): Tool[];
  get(name: string): Tool | undefined;
}

export function createRegistry(tools: readonly Tool[]): Registry {
  const byName = new Map<string, Tool>();
  for (const tool of tools) {
    if (byName.has(tool.name)) throw new Error(`Duplicate tool name ${tool.name}`);
    byName.set(tool.name, tool);
  }
  return { list: () => [...byName.values()], get: (name) => byName.get(name) };
}
