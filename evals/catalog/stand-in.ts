import { z } from "zod";
import { JarvisError } from "../../src/errors.ts";
import { defineTool, type Tool } from "../../src/tools/define-tool.ts";

/**
 * A catalog tool whose toolset has not landed yet: the real name, input schema, risk and target,
 * and a `run` that only an eval world replaces. Run outside a world, it says so.
 */
export function standIn<Input>(tool: Omit<Tool<Input>, "run">): Tool<Input> {
  return defineTool<Input, unknown>({
    ...tool,
    async run() {
      throw new JarvisError(
        "unavailable",
        `${tool.name} is a stand-in for a toolset that has not landed; only an eval world answers it`,
      );
    },
  });
}

/** A non-empty bounded string, the usual name-like argument. */
export const name = (max = 256) => z.string().min(1).max(max);

/** Free-form key/value parameters (service data, template parameters). */
export const params = () => z.record(z.string(), z.unknown());
