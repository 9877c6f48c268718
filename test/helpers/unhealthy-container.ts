import type Docker from "dockerode";
import { testImage, testLabel } from "./docker-engine.ts";

/**
 * A labelled busybox container whose healthcheck (`test -f /tmp/ok`) fails until it has been
 * started twice: the command creates /tmp/ok only when /tmp/started, left by the first start in
 * the container's own filesystem, exists. So a restart fixes it. `fixable: false` never does.
 * It exits promptly on SIGTERM so restarts are quick.
 */
export async function startUnhealthyContainer(
  docker: Docker,
  options: { name: string; runId: string; fixable?: boolean; intervalMs?: number },
): Promise<Docker.Container> {
  const marker = options.fixable === false ? "/tmp/never" : "/tmp/ok";
  const script =
    'if [ -f /tmp/started ]; then touch /tmp/ok; fi; touch /tmp/started; trap "exit 0" TERM; while true; do sleep 0.2; done';
  const interval = (options.intervalMs ?? 500) * 1_000_000;
  const container = await docker.createContainer({
    name: options.name,
    Image: testImage,
    Cmd: ["sh", "-c", script],
    Labels: { [testLabel]: options.runId },
    Healthcheck: {
      Test: ["CMD", "test", "-f", marker],
      Interval: interval,
      Timeout: 2_000_000_000,
      Retries: 1,
    },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  return container;
}

/** Polls until `check` returns a value, or throws after a generous deadline. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  deadlineMs = 90_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

export async function healthOf(docker: Docker, name: string): Promise<string | undefined> {
  return (await docker.getContainer(name).inspect()).State.Health?.Status;
}
