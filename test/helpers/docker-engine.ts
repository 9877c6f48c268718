import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Docker from "dockerode";
import { requireBinary } from "./binaries.ts";

const run = promisify(execFile);
export const testImage = "jarvis-test/busybox:latest";
export const testLabel = "jarvis-test";

async function reachable(socketPath: string): Promise<boolean> {
  try {
    await new Docker({ socketPath, timeout: 2000 }).ping();
    return true;
  } catch {
    return false;
  }
}

export interface Engine {
  socketPath: string;
  stop(): Promise<void>;
}

/**
 * A Docker engine for the tests: JARVIS_TEST_DOCKER_SOCKET if set, else the machine's running
 * engine, else a private dockerd started here (no bridge, as this machine allows) and stopped after.
 */
export async function startEngine(env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const given = env.JARVIS_TEST_DOCKER_SOCKET;
  if (given) {
    if (!(await reachable(given))) throw new Error(`JARVIS_TEST_DOCKER_SOCKET=${given} does not answer`);
    return { socketPath: given, stop: async () => {} };
  }
  if (await reachable("/var/run/docker.sock"))
    return { socketPath: "/var/run/docker.sock", stop: async () => {} };

  const dockerd = requireBinary("dockerd", "docker.io");
  const root = "/var/tmp/jarvis-test-dockerd";
  mkdirSync(root, { recursive: true });
  const socketPath = join(root, "docker.sock");
  const logFd = openSync(join(root, "dockerd.log"), "a");
  const child: ChildProcess = spawn(
    dockerd,
    [
      "--bridge=none",
      "--iptables=false",
      "--ip-forward=false",
      `--host=unix://${socketPath}`,
      `--data-root=${join(root, "data")}`,
      `--exec-root=${join(root, "exec")}`,
      `--pidfile=${join(root, "dockerd.pid")}`,
    ],
    { stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd); // the child has its own copy
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  for (let i = 0; i < 150; i++) {
    if (await reachable(socketPath)) {
      return {
        socketPath,
        stop: async () => {
          if (exited) return;
          const done = new Promise((resolve) => child.on("exit", resolve));
          child.kill("SIGTERM");
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
          clearTimeout(timer);
          if (!exited) child.kill("SIGKILL");
        },
      };
    }
    if (exited) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`dockerd did not start; see ${join(root, "dockerd.log")} (it needs root)`);
}

/** Imports a busybox image from Debian's busybox-static, once per engine. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(testImage).inspect();
    return;
  } catch {
    // import it below
  }
  const busybox = requireBinary("busybox", "busybox-static");
  // ldd says "not a dynamic executable" (on stderr, exit 1) for a static binary
  const ldd = await run("ldd", [busybox]).then(
    (r) => r.stdout + r.stderr,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
  );
  if (!/not a dynamic executable|statically linked/.test(ldd)) {
    throw new Error(`${busybox} is dynamically linked; the test image needs: apt-get install busybox-static`);
  }
  const rootfs = mkdtempSync(join(tmpdir(), "jarvis-rootfs-"));
  try {
    mkdirSync(join(rootfs, "bin"));
    mkdirSync(join(rootfs, "tmp"));
    mkdirSync(join(rootfs, "etc"));
    writeFileSync(join(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    await run("cp", [busybox, join(rootfs, "bin", "busybox")]);
    const applets = [
      "sh",
      "sleep",
      "echo",
      "cat",
      "ls",
      "test",
      "true",
      "false",
      "httpd",
      "wget",
      "touch",
      "rm",
      "kill",
      "yes",
      "head",
      "seq",
      "date",
      "env",
    ];
    for (const applet of applets) symlinkSync("busybox", join(rootfs, "bin", applet));
    const tar = spawn(requireBinary("tar", "tar"), ["-C", rootfs, "-c", "."], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const stream: NodeJS.ReadableStream = await docker.importImage(tar.stdout!, {
      repo: "jarvis-test/busybox",
      tag: "latest",
    });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    rmSync(rootfs, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the containers a test run labelled: this run's (`jarvis-test=<runId>`), and those of
 * runs that are no longer alive. Another run going on beside this one keeps its containers.
 */
export async function removeTestContainers(docker: Docker, runId: string): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [testLabel] } });
  const doomed = containers.filter((c) => {
    const owner = c.Labels[testLabel] ?? "";
    return owner === runId || !/^\d+$/.test(owner) || !alive(Number(owner));
  });
  await Promise.all(
    doomed.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => {}),
    ),
  );
}

/** Starts a labelled test container (no network, the busybox image) running `cmd`. */
export async function startTestContainer(
  docker: Docker,
  options: { name: string; runId: string; cmd?: string[]; env?: string[]; labels?: Record<string, string> },
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: options.name,
    Image: testImage,
    Cmd: options.cmd ?? ["sleep", "3600"],
    Env: options.env,
    Labels: { [testLabel]: options.runId, ...options.labels },
    HostConfig: { NetworkMode: "none" },
  });
  await container.start();
  return container;
}
