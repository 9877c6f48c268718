import type { UIMessageChunk } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { approvalIn, createChatClient } from "./helpers/chat-client.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

/** One process, no Redis (the in-process event bus): GET /api/chat/:id/stream follows a run. */
describe("following a conversation's run", { timeout: 120_000 }, () => {
  let sim: OpenAISim;
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let viewer: string;

  const api = (path: string, init: RequestInit = {}, token = admin) =>
    app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });

  beforeAll(async () => {
    sim = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`, JARVIS_MODEL_MAX_RETRIES: "0" },
      ),
    });
    app = createApp(jarvis);
    admin = (await jarvis.tokens.create({ name: "admin", role: "admin" })).token;
    viewer = (await jarvis.tokens.create({ name: "viewer", role: "viewer" })).token;
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
  });

  it("streams the segment that resumes a paused run when its approval is decided elsewhere, then 204", async () => {
    expect(jarvis.events.kind).toBe("in-process");
    const chat = createChatClient(
      ((input: string | URL | Request, init?: RequestInit) =>
        app.request(String(input).replace("http://jarvis.test", ""), init)) as typeof fetch,
      admin,
    );
    sim.script({ toolCalls: [{ name: "memory_forget", arguments: { id: "mem_999999" } }] });
    const approval = approvalIn(await chat.say("follow-1", "forget mem_999999"));
    expect(approval?.tool).toBe("memory_forget");

    const following = await api("/api/chat/follow-1/stream");
    expect(following.status).toBe(200);
    expect(following.headers.get("content-type")).toContain("text/event-stream");
    sim.script({ text: "I tried to forget it." });
    const decided = await api(`/api/approvals/${approval!.id}`, {
      method: "POST",
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(decided.status).toBe(200);
    const chunks = (await following.text())
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
      .map((line) => JSON.parse(line.slice(6)) as UIMessageChunk);
    const text = chunks
      .filter((c): c is Extract<UIMessageChunk, { type: "text-delta" }> => c.type === "text-delta")
      .map((c) => c.delta)
      .join("");
    expect(text).toBe("I tried to forget it.");
    expect(chunks[0]?.type).toBe("start");
    expect(chunks.at(-1)?.type).toBe("finish");
    expect((await api("/api/chat/follow-1/stream")).status).toBe(204);
  });

  it("refuses another user's conversation and an unknown one (404)", async () => {
    expect((await api("/api/chat/follow-1/stream", {}, viewer)).status).toBe(404);
    expect((await api("/api/chat/no-such-conversation/stream")).status).toBe(404);
  });
});
