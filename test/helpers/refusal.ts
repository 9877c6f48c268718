import { JarvisError } from "../../src/errors.ts";

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
