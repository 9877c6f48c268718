import type { ToolContext } from "../define-tool.ts";
import { onHost } from "./docker-error.ts";
import { type Health, parseHealth } from "./format.ts";
import { type ResolvedContainer, resolveInput } from "./resolve.ts";

/** What start/stop/restart return: whether anything changed and where the container ended up. */
export interface LifecycleResult {
  container: string;
  host: string;
  changed: boolean;
  state: string;
  health: Health;
}

/** Longest a stop may take: its grace period (Docker's default 10 s) plus 30 s to answer. */
export const lifecycleTimeoutMs = (input: { timeout?: number }): number =>
  ((input.timeout ?? 10) + 30) * 1000;

/**
 * Resolves the container, runs `action` and reads the state back. Docker answers 304 when the
 * container already is where it was asked to go: that is `changed: false`, not a failure.
 */
export async function changeState(
  input: { container: string; host?: string },
  ctx: ToolContext,
  verb: string,
  action: (target: ResolvedContainer, signal: AbortSignal) => Promise<unknown>,
): Promise<LifecycleResult> {
  const target = await resolveInput(input, ctx);
  const { host, id, name } = target;
  const what = `container "${name}"`;
  let changed = true;
  await onHost(
    host,
    ctx.signal,
    async (signal) => {
      try {
        await action(target, signal);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 304) throw error;
        changed = false;
      }
    },
    { what, deadlineMs: lifecycleTimeoutMs(input as { timeout?: number }) },
  );
  const info = await onHost(
    host,
    ctx.signal,
    (signal) => host.docker.getContainer(id).inspect({ abortSignal: signal }),
    { what },
  );
  ctx.log.info(`container ${verb}`, { host: host.name, container: name, changed });
  return {
    container: name,
    host: host.name,
    changed,
    state: info.State.Status,
    health: parseHealth(info.State.Health?.Status),
  };
}
