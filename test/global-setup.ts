import Docker from "dockerode";
import type { TestProject } from "vitest/node";
import { silentLogger } from "../src/log.ts";
import { ensureUiBuilt } from "../src/server/ui-build.ts";
import { ensureTestImage, removeTestContainers, startEngine } from "./helpers/docker-engine.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dockerSocket: string;
    /** The value of the `jarvis-test` label on this run's containers (the run's pid). */
    testRunId: string;
  }
}

/**
 * Starts the real services the tests use (a Docker engine for now) from the installed binaries,
 * on this machine only, and stops them afterwards. Builds the chat console first when it is stale,
 * once, so the servers the tests start (`jarvis serve` children included) find it built.
 */
export default async function setup(project: TestProject) {
  await ensureUiBuilt(silentLogger);
  const engine = await startEngine();
  const docker = new Docker({ socketPath: engine.socketPath });
  const runId = String(process.pid);
  try {
    await removeTestContainers(docker, runId);
    await ensureTestImage(docker);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  project.provide("dockerSocket", engine.socketPath);
  project.provide("testRunId", runId);
  return async () => {
    await removeTestContainers(docker, runId).catch(() => {});
    await engine.stop();
  };
}
