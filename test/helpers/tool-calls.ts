import type { Jarvis } from "../../src/jarvis.ts";
import { operatorPrincipal } from "./jarvis.ts";

export { refusal } from "./refusal.ts";

/** Runs a tool through the gate as an operator over the API and returns its result (no approval). */
export async function okResult<T>(jarvis: Jarvis, tool: string, args: unknown): Promise<T> {
  const run = await jarvis.runTool({ tool, args }, { source: "api", principal: operatorPrincipal });
  if (run.status !== "ok") throw new Error(`${tool} wanted approval`);
  return run.result as T;
}
