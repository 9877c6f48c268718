import type Docker from "dockerode";
import { JarvisError } from "../../errors.ts";
import { appLabel, type Plan } from "./plan.ts";

/** Whether the host has the image. */
export async function hasImage(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Containers Jarvis deployed as `app` (any state). */
export function appContainers(docker: Docker, app?: string) {
  return docker.listContainers({ all: true, filters: { label: [app ? `${appLabel}=${app}` : appLabel] } });
}

/**
 * Pulls an image, waiting for the whole stream. The engine reports some failures inside the stream
 * (an `error` event after HTTP 200), so each event is checked; either way the error names the image
 * and what the engine or registry said.
 */
export async function pullImage(docker: Docker, image: string): Promise<void> {
  const failed = (message: string, cause?: unknown) =>
    new JarvisError("tool_failed", `pulling ${image} failed: ${message}`, { cause });
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(image);
  } catch (error) {
    const json = (error as { json?: { message?: string } }).json;
    throw failed(json?.message ?? (error instanceof Error ? error.message : String(error)), error);
  }
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(failed(error.message, error)) : resolve()),
      (event: { error?: string; errorDetail?: { message?: string } }) => {
        if (event.error) reject(failed(event.errorDetail?.message ?? event.error));
      },
    ),
  );
}

/** Creates the plan's volumes and container and starts it; `created` lists what exists so far. */
export async function createApp(
  docker: Docker,
  plan: Plan,
  created: { volumes: string[]; container?: string },
): Promise<Docker.Container> {
  const labels = plan.container.labels;
  for (const volume of plan.volumes) {
    await docker.createVolume({ Name: volume.name, Labels: { ...labels } });
    created.volumes.push(volume.name);
  }
  const ports = plan.container.ports;
  const container = await docker.createContainer({
    name: plan.container.name,
    Image: plan.image,
    ...(plan.container.command ? { Cmd: plan.container.command } : {}),
    Env: Object.entries(plan.container.env).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p.container}/tcp`, {}])),
    Healthcheck: {
      Test: plan.container.healthcheck.test,
      Interval: plan.container.healthcheck.intervalSeconds * 1e9,
      Timeout: plan.container.healthcheck.timeoutSeconds * 1e9,
      Retries: plan.container.healthcheck.retries,
    },
    HostConfig: {
      NetworkMode: plan.container.network,
      RestartPolicy: { Name: "unless-stopped" },
      Binds: plan.volumes.map((v) => `${v.name}:${v.path}`),
      PortBindings: Object.fromEntries(
        ports.map((p) => [`${p.container}/tcp`, [{ HostPort: String(p.host) }]]),
      ),
    },
  });
  created.container = container.id;
  await container.start();
  return container;
}

/** Polls the container until healthy; throws with the reason when it turns unhealthy, exits or takes too long. */
export async function waitHealthy(
  container: Docker.Container,
  waitMs: number,
  signal: AbortSignal,
): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    if (signal.aborted) throw new JarvisError("aborted", "the deploy was cancelled");
    const info = await container.inspect();
    const health = info.State.Health;
    if (health?.Status === "healthy") return;
    if (!info.State.Running)
      throw new JarvisError("tool_failed", `the container exited with code ${info.State.ExitCode}`);
    if (health?.Status === "unhealthy") {
      const last = health.Log?.at(-1)?.Output?.trim().slice(0, 300);
      throw new JarvisError("tool_failed", `the healthcheck failed${last ? `: ${last}` : ""}`);
    }
    if (Date.now() > until)
      throw new JarvisError("timeout", `not healthy after ${Math.round(waitMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Removes what a failed deploy created; returns what it removed. Never throws. */
export async function rollback(
  docker: Docker,
  created: { volumes: string[]; container?: string },
): Promise<string[]> {
  const removed: string[] = [];
  if (created.container) {
    await docker
      .getContainer(created.container)
      .remove({ force: true, v: false })
      .then(() => removed.push(`container ${created.container!.slice(0, 12)}`))
      .catch(() => {});
  }
  for (const name of created.volumes) {
    await docker
      .getVolume(name)
      .remove()
      .then(() => removed.push(`volume ${name}`))
      .catch(() => {});
  }
  return removed;
}
