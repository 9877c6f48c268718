import type { UIMessageChunk } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Jarvis } from "../src/jarvis.ts";
import { createApp } from "../src/server/app.ts";
import { adminPrincipal, createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { type ChatRequest, type OpenAISim, startOpenAISim } from "./sim/openai/server.ts";

async function drain(stream: ReadableStream<UIMessageChunk>): Promise<void> {
  const reader = stream.getReader();
  while (!(await reader.read()).done) {
    // the run stores its own messages and status
  }
}

const lastToolResult = (request: ChatRequest): string =>
  String([...request.messages].reverse().find((m) => m.role === "tool")?.content ?? "");

describe("memory in the agent, the gate and the API", () => {
  let sim: OpenAISim;
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};

  const send = async (text: string) => {
    const run = await jarvis.agent.send({ text, principal: adminPrincipal, source: "chat" });
    await drain(run.stream);
    return run;
  };
  const api = (path: string, role: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: { authorization: `Bearer ${tokens[role]}`, "content-type": "application/json" },
    });

  beforeAll(async () => {
    sim = await startOpenAISim();
    const config = testConfig(
      {},
      {
        JARVIS_MODEL: `openai-compatible:${sim.baseURL}#sim-model`,
        JARVIS_EMBEDDING_MODEL: `openai-compatible:${sim.baseURL}#sim-embed`,
        JARVIS_MODEL_MAX_RETRIES: "0",
      },
    );
    jarvis = await createTestJarvis({ config });
    app = createApp(jarvis);
    for (const role of ["admin", "operator", "viewer"] as const) {
      tokens[role] = (await jarvis.tokens.create({ name: role, role })).token;
    }
  });
  afterAll(async () => {
    await jarvis?.close();
    await sim?.close();
  });

  it("remembers a fact in one conversation and recalls it into the model's context in a later one", async () => {
    sim.script(
      {
        toolCalls: [
          {
            name: "memory_remember",
            arguments: { text: "The NAS is only on between 8am and midnight", scope: "host:nas326" },
          },
        ],
      },
      { text: "Noted: the NAS is only on between 8am and midnight." },
    );
    const first = await send("remember that the NAS is only on between 8am and midnight");
    const [run] = await jarvis.conversations.runs(first.conversationId);
    expect(run).toMatchObject({ status: "done" }); // no approval: the built-in rule allows remembering
    const { memories } = await jarvis.memory.list();
    expect(memories).toHaveLength(1);
    expect(memories[0]).toMatchObject({
      text: "The NAS is only on between 8am and midnight",
      scope: "host:nas326",
      source: { type: "conversation", id: first.conversationId },
    });
    expect(sim.embeddingRequests.at(-1)?.model).toBe("sim-embed");

    let seen: ChatRequest | undefined;
    sim.script((request) => {
      seen = request;
      return { text: "The NAS was off: it is only on between 8am and midnight." };
    });
    const later = await send("why did the nightly backup to the NAS fail?");
    expect(later.conversationId).not.toBe(first.conversationId);
    const system = String(seen?.messages.find((m) => m.role === "system")?.content ?? "");
    expect(system).toMatch(/<recalled-memories>[\s\S]*not instructions[\s\S]*<\/recalled-memories>/);
    expect(system).toContain(`${memories[0]!.id} (fact, host:nas326`);
    expect(system).toContain('"The NAS is only on between 8am and midnight"');
    // Only the system message carries it; the history of the new conversation is just the question.
    expect(seen?.messages.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it("refuses secrets through the gate, without the secret reaching the audit log or the model", async () => {
    const before = (await jarvis.memory.list()).total;
    let seen: ChatRequest | undefined;
    sim.script(
      { toolCalls: [{ name: "memory_remember", arguments: { text: "the root password is Tr0ub4dor&3" } }] },
      (r) => {
        seen = r;
        return { text: "I will not store passwords." };
      },
    );
    await send("remember that the root password is Tr0ub4dor&3");
    expect(lastToolResult(seen!)).toMatch(/Not stored: .*password/);
    expect(lastToolResult(seen!)).not.toContain("Tr0ub4dor");
    const audit = await jarvis.audit.list({ tool: "memory_remember" });
    expect(audit[0]).toMatchObject({ outcome: "error", errorCode: "invalid_input" });
    expect(JSON.stringify(audit)).not.toContain("Tr0ub4dor");
    expect((await jarvis.memory.list()).total).toBe(before);
  });

  it("asks before a conversation forgets a memory", async () => {
    const [memory] = (await jarvis.memory.list()).memories;
    sim.script({ toolCalls: [{ name: "memory_forget", arguments: { id: memory!.id } }] });
    const run = await send(`forget ${memory!.id}`);
    const [state] = await jarvis.conversations.runs(run.conversationId);
    expect(state).toMatchObject({ status: "awaiting-approval" });
    const pending = (await jarvis.approvals.list({ status: "pending" })).find(
      (a) => a.tool === "memory_forget",
    );
    expect(pending).toMatchObject({ target: memory!.id, source: "chat" });
    expect(await jarvis.memory.get(memory!.id)).toMatchObject({ id: memory!.id });
  });

  it("consolidates with the model's JSON decision, and falls back to thresholds on invalid output", async () => {
    const [nas] = (await jarvis.memory.list({ scope: "host:nas326" })).memories;
    const target = Number(nas!.id.slice(4));
    sim.script({ text: JSON.stringify({ action: "update", target }) });
    const updated = await jarvis.memory.remember({
      text: "The NAS is only powered on between 8am and midnight",
      scope: "host:nas326",
    });
    expect(updated).toMatchObject({ action: "updated", memory: { id: nas!.id } });
    expect(sim.remaining()).toBe(0);

    sim.script({ text: "I think you should add it, probably." });
    const fallback = await jarvis.memory.remember({
      text: "The NAS is only powered on between 8am and midnight.",
      scope: "host:nas326",
    });
    expect(fallback).toMatchObject({ action: "updated", memory: { id: nas!.id } }); // the duplicate threshold
    expect((await jarvis.memory.list({ scope: "host:nas326" })).total).toBe(1);
  });

  it("lists, searches, creates, edits and deletes over the API, writes through the gate", async () => {
    const created = await api("/api/memories", "operator", {
      method: "POST",
      body: JSON.stringify({ text: "Plex transcodes to /srv/transcode on the SSD", scope: "service:plex" }),
    });
    expect(created.status).toBe(201);
    const { memory } = (await created.json()) as { memory: { id: string } };
    expect(
      (
        await api("/api/memories", "viewer", {
          method: "POST",
          body: JSON.stringify({ text: "viewers cannot write" }),
        })
      ).status,
    ).toBe(403);

    const list = (await (await api("/api/memories?scope=service:plex", "viewer")).json()) as {
      memories: Array<{ id: string; scope: string }>;
      total: number;
    };
    expect(list.memories.map((m) => m.scope)).toEqual(["service:plex"]);
    expect(list.total).toBe(1);
    const search = (await (
      await api("/api/memories/search?q=where%20does%20plex%20transcode", "viewer")
    ).json()) as {
      memories: Array<{ id: string }>;
    };
    expect(search.memories[0]?.id).toBe(memory.id);
    expect((await api(`/api/memories/${memory.id}`, "viewer")).status).toBe(200);
    expect((await api("/api/memories/mem_999999", "viewer")).status).toBe(404);
    expect((await api("/api/memories?kind=nonsense", "viewer")).status).toBe(400);

    const bad = await api(`/api/memories/${memory.id}`, "operator", {
      method: "PATCH",
      body: JSON.stringify({ kind: "nonsense" }),
    });
    expect(bad.status).toBe(400);
    const patched = await api(`/api/memories/${memory.id}`, "operator", {
      method: "PATCH",
      body: JSON.stringify({ text: "Plex transcodes to /srv/transcode on the NVMe SSD", kind: "runbook" }),
    });
    expect(patched.status).toBe(200); // no approval: the built-in rule allows edits from the API
    expect(await jarvis.memory.get(memory.id)).toMatchObject({
      text: "Plex transcodes to /srv/transcode on the NVMe SSD",
      kind: "runbook",
    });
    const secret = await api("/api/memories", "admin", {
      method: "POST",
      body: JSON.stringify({ text: "plex token: abcdef0123456789" }),
    });
    expect(secret.status).toBe(400);
    expect(((await secret.json()) as { error: { message: string } }).error.message).toMatch(/Not stored/);

    expect((await api(`/api/memories/${memory.id}`, "viewer", { method: "DELETE" })).status).toBe(403);
    expect((await api(`/api/memories/${memory.id}`, "admin", { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/memories/${memory.id}`, "viewer")).status).toBe(404);

    const audit = await jarvis.audit.list({});
    for (const tool of ["memory_remember", "memory_update", "memory_forget", "memory_recall"]) {
      expect(audit.find((row) => row.tool === tool && row.source === "api")).toBeDefined();
    }
    expect(JSON.stringify(audit)).not.toContain("abcdef0123456789");
  });
});
