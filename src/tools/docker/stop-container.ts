import { defineTool } from "../define-tool.ts";
import { containerImpact } from "../media/impact.ts";
import { changeState, type LifecycleResult, lifecycleTimeoutMs } from "./lifecycle.ts";
import { containerTarget } from "./resolve.ts";
import { StopInput } from "./schemas.ts";

/** docker_stop_container: stops a running container (SIGTERM, then SIGKILL after `timeout`). */
export const stopContainer = defineTool({
  name: "docker_stop_container",
  title: "Stop container",
  description:
    "Stops a running container (SIGTERM, then SIGKILL after timeout seconds, Docker's default 10) and returns its state afterwards; changed is false if it was already stopped.",
  input: StopInput,
  risk: "write",
  idempotent: true,
  target: containerTarget,
  warn: (_input, ctx, target) => containerImpact(ctx, target),
  timeoutMs: lifecycleTimeoutMs,
  run: (input, ctx): Promise<LifecycleResult> =>
    changeState(input, ctx, "stopped", ({ host, id }, signal) =>
      host.docker
        .getContainer(id)
        .stop({ ...(input.timeout === undefined ? {} : { t: input.timeout }), abortSignal: signal }),
    ),
});
