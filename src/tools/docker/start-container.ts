import { defineTool } from "../define-tool.ts";
import { changeState, type LifecycleResult } from "./lifecycle.ts";
import { containerTarget } from "./resolve.ts";
import { ContainerInput } from "./schemas.ts";

/** docker_start_container: starts a stopped container. */
export const startContainer = defineTool({
  name: "docker_start_container",
  title: "Start container",
  description:
    "Starts a stopped container and returns its state and health afterwards; changed is false if it was already running. Use it to bring an exited container back.",
  input: ContainerInput,
  risk: "write",
  idempotent: true,
  target: containerTarget,
  run: (input, ctx): Promise<LifecycleResult> =>
    changeState(input, ctx, "started", ({ host, id }, signal) =>
      host.docker.getContainer(id).start({ abortSignal: signal }),
    ),
});
