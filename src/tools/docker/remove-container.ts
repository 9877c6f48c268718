import { JarvisError } from "../../errors.ts";
import { defineTool } from "../define-tool.ts";
import { containerImpact } from "../media/impact.ts";
import { onHost } from "./docker-error.ts";
import { containerTarget, resolveInput } from "./resolve.ts";
import { RemoveContainerInput } from "./schemas.ts";

/** docker_remove_container: deletes a container, refusing a running one unless forced. */
export const removeContainer = defineTool({
  name: "docker_remove_container",
  title: "Remove container",
  description:
    "Deletes a container for good (its writable layer is lost; with volumes: true its anonymous volumes too). A running container is refused unless force: true. Use docker_stop_container first when you only want it stopped.",
  input: RemoveContainerInput,
  risk: "destructive",
  idempotent: true,
  target: containerTarget,
  warn: (_input, ctx, target) => containerImpact(ctx, target),
  async run(input, ctx) {
    const { host, id, name } = await resolveInput(input, ctx);
    const what = `container "${name}"`;
    const container = host.docker.getContainer(id);
    const info = await onHost(host, ctx.signal, (signal) => container.inspect({ abortSignal: signal }), {
      what,
    });
    // Checked here, not left to Docker, so the message says what to do instead of quoting the engine.
    if (info.State.Running && !input.force) {
      throw new JarvisError(
        "conflict",
        `Container "${name}" on host ${host.name} is running; stop it first or pass force: true`,
        { details: { container: name, host: host.name, state: info.State.Status } },
      );
    }
    const remove = (signal: AbortSignal) =>
      container.remove({ force: input.force, v: input.volumes, abortSignal: signal });
    await onHost(host, ctx.signal, remove, { what, deadlineMs: 120_000 });
    ctx.log.info("container removed", {
      host: host.name,
      container: name,
      force: input.force,
      volumes: input.volumes,
    });
    return {
      container: name,
      host: host.name,
      id: id.slice(0, 12),
      removed: true,
      volumesRemoved: input.volumes,
    };
  },
});
