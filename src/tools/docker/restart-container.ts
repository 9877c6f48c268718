import { defineTool } from "../define-tool.ts";
import { containerImpact } from "../media/impact.ts";
import { changeState, type LifecycleResult, lifecycleTimeoutMs } from "./lifecycle.ts";
import { containerTarget } from "./resolve.ts";
import { StopInput } from "./schemas.ts";

/** docker_restart_container: stops (if running) and starts a container. */
export const restartContainer = defineTool({
  name: "docker_restart_container",
  title: "Restart container",
  description:
    "Restarts a container (stopping it first if it runs, waiting timeout seconds before SIGKILL) and returns its state and health afterwards. The usual first remedy for a hung or unhealthy service.",
  input: StopInput,
  risk: "write",
  idempotent: false,
  target: containerTarget,
  warn: (_input, ctx, target) => containerImpact(ctx, target),
  timeoutMs: lifecycleTimeoutMs,
  run: (input, ctx): Promise<LifecycleResult> =>
    changeState(input, ctx, "restarted", ({ host, id }, signal) =>
      host.docker
        .getContainer(id)
        .restart({ ...(input.timeout === undefined ? {} : { t: input.timeout }), abortSignal: signal }),
    ),
});
