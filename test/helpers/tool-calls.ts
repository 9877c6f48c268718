import { JarvisError } from "../../src/errors.ts";
import type { Jarvis } from "../../src/jarvis.ts";
import { operatorPrincipal } from "./jarvis.ts";

/** The typed error a call fails with; fails the test if the call succeeds or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<JarvisError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JarvisError) return error;
    throw new Error(`expected a JarvisError, got ${String(error)}`);
  }
  throw new Error("expected the call to fail");
}

/** Runs a tool through the gate as an operator over the API and returns its result (no approval). */
export async function okResult<T>(jarvis: Jarvis, tool: string, args: unknown): Promise<T> {
  const run = await jarvis.runTool({ tool, args }, { source: "api", principal: operatorPrincipal });
  if (run.status !== "ok") throw new Error(`${tool} wanted approval`);
  return run.result as T;
}
