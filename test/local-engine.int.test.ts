import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { adminChat } from "./helpers/admin-chat.ts";
import { approvalIn, type createChatClient, textOf } from "./helpers/chat-client.ts";
import { testImage, testLabel } from "./helpers/docker-engine.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";

/** The embedded default model (JARVIS_MODEL=local) driving the real loop, gate and Docker engine. */
describe("the local intent engine end to end", () => {
  const docker = new Docker({ socketPath: inject("dockerSocket") });
  const sick = `jt-local-sick-${process.pid}`;
  const web = `jt-local-web-${process.pid}`;
  let jarvis: Jarvis;
  let chat: ReturnType<typeof createChatClient>;

  const startedAt = async (name: string) => (await docker.getContainer(name).inspect()).State.StartedAt;
  const toolCalls = (reply: { chunks: Array<{ type: string }> }) =>
    reply.chunks
      .filter((c) => c.type === "tool-input-available")
      .map((c) => (c as unknown as { toolName: string }).toolName);

  beforeAll(async () => {
    const labels = { [testLabel]: inject("testRunId") };
    const unhealthy = await docker.createContainer({
      name: sick,
      Image: testImage,
      Cmd: ["sh", "-c", "echo 'db: connection refused to 127.0.0.1:3306'; sleep 3600"],
      Labels: labels,
      Healthcheck: { Test: ["CMD-SHELL", "false"], Interval: 500_000_000, Retries: 1, StartPeriod: 0 },
      HostConfig: { NetworkMode: "none" },
    });
    await unhealthy.start();
    await (
      await docker.createContainer({
        name: web,
        Image: testImage,
        Cmd: ["sleep", "3600"],
        Labels: labels,
        HostConfig: { NetworkMode: "none" },
      })
    ).start();
    for (let i = 0; i < 100; i++) {
      if ((await unhealthy.inspect()).State.Health?.Status === "unhealthy") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    jarvis = await createTestJarvis({ config: testConfig({}, { JARVIS_MODEL: "local" }) });
    chat = await adminChat(jarvis);
  });
  afterAll(async () => {
    await jarvis?.close();
    await Promise.all(
      [sick, web].map((n) =>
        docker
          .getContainer(n)
          .remove({ force: true })
          .catch(() => {}),
      ),
    );
  });

  it("answers a two-step question from real results", async () => {
    const reply = await chat.say("local-health", "is anything unhealthy and why?");
    // Then one logs call per unhealthy container: other test files' containers share the engine.
    const [list, ...logs] = toolCalls(reply);
    expect(list).toBe("docker_list_containers");
    expect(new Set(logs)).toEqual(new Set(["docker_container_logs"]));
    const inputs = reply.chunks
      .filter((c) => c.type === "tool-input-available")
      .map((c) => JSON.stringify(c));
    expect(inputs.some((input) => input.includes(`"container":"${sick}"`))).toBe(true);
    expect(textOf(reply.message)).toMatch(new RegExp(`Unhealthy: .*${sick}.*connection refused`));
  });

  it("asks before a restart, and 'yes' in the same conversation runs it", async () => {
    const before = await startedAt(web);
    const asked = await chat.say("local-restart", `bounce ${web.replace(/-/g, " ")}`);
    expect(approvalIn(asked)).toMatchObject({ tool: "docker_restart_container", args: { container: web } });
    expect(await startedAt(web)).toBe(before);
    const done = await chat.say("local-restart", "yes");
    expect(textOf(done.message)).toMatch(new RegExp(`Restarted ${web}; it is running`));
    expect(await startedAt(web)).not.toBe(before);
  });

  it("takes 'no' as a denial", async () => {
    const before = await startedAt(web);
    await chat.say("local-cancel", `stop ${web}`);
    const reply = await chat.say("local-cancel", "no, cancel");
    expect(textOf(reply.message)).toMatch(/did not stop .*not approved/);
    expect(await startedAt(web)).toBe(before);
    expect((await docker.getContainer(web).inspect()).State.Running).toBe(true);
  });

  it("says honestly what it cannot do offline, and calls nothing", async () => {
    const joke = await chat.say("local-joke", "tell me a joke");
    expect(toolCalls(joke)).toEqual([]);
    expect(textOf(joke.message)).toMatch(/can't do that offline.*JARVIS_MODEL/);
    const lights = await chat.say("local-lights", "turn off the kitchen lights");
    expect(toolCalls(lights)).toEqual([]);
  });
});
