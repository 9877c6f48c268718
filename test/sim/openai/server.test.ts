import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, isStepCount, NoOutputGeneratedError, streamText, tool } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type OpenAISim, startOpenAISim } from "./server.ts";

const API_KEY = "sk-sim-test";

describe("openai simulator with the real AI SDK client", () => {
  let sim: OpenAISim;

  beforeEach(async () => {
    sim = await startOpenAISim({ apiKey: API_KEY });
  });
  afterEach(async () => {
    await sim.close();
  });

  /** The client exactly as production builds it; includeUsage asks for the final usage chunk. */
  const model = (apiKey = API_KEY) =>
    createOpenAICompatible({ name: "sim", baseURL: sim.baseURL, apiKey, includeUsage: true })("sim-model");

  it("streams text that arrives whole, with usage", async () => {
    sim.script({
      text: "The NAS has 3 disks, all healthy.",
      usage: { prompt_tokens: 42, completion_tokens: 9 },
    });

    const result = streamText({ model: model(), prompt: "How are my disks?", maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);

    expect(deltas.length).toBeGreaterThan(1);
    expect(await result.text).toBe("The NAS has 3 disks, all healthy.");
    expect(await result.finishReason).toBe("stop");
    const usage = await result.totalUsage;
    expect(usage.inputTokens).toBe(42);
    expect(usage.outputTokens).toBe(9);
    expect(sim.requests[0]).toMatchObject({ model: "sim-model", stream: true });
    expect(sim.remaining()).toBe(0);
  });

  it("streams a tool call split across deltas and receives the tool result back", async () => {
    sim.script(
      {
        toolCalls: [{ name: "restart_container", arguments: { name: "plex", timeoutSeconds: 30 } }],
        chunkSize: 5,
      },
      (request) => {
        const last = request.messages.at(-1);
        return { text: last?.role === "tool" ? `done: ${String(last.content)}` : "no tool result" };
      },
    );
    const calls: unknown[] = [];
    const restart = tool({
      description: "Restart a container",
      inputSchema: z.object({ name: z.string(), timeoutSeconds: z.number() }),
      execute: async (input) => {
        calls.push(input);
        return { restarted: input.name };
      },
    });

    const result = streamText({
      model: model(),
      prompt: "Restart plex",
      tools: { restart_container: restart },
      stopWhen: isStepCount(2),
      maxRetries: 0,
    });

    expect(await result.text).toBe('done: {"restarted":"plex"}');
    expect(calls).toEqual([{ name: "plex", timeoutSeconds: 30 }]);
    const [first] = await result.steps;
    expect(first?.toolCalls).toMatchObject([
      { toolCallId: "call_1", toolName: "restart_container", input: { name: "plex", timeoutSeconds: 30 } },
    ]);
    expect(sim.requests).toHaveLength(2);
    expect(sim.requests[0]?.tools).toHaveLength(1);
    expect(sim.requests[1]?.messages).toContainEqual({
      role: "tool",
      tool_call_id: "call_1",
      content: '{"restarted":"plex"}',
    });
  });

  it("answers generateText without streaming", async () => {
    sim.script({
      text: "All 12 containers are running.",
      usage: { prompt_tokens: 20, completion_tokens: 7 },
    });

    const result = await generateText({ model: model(), prompt: "Status?", maxRetries: 0 });

    expect(result.text).toBe("All 12 containers are running.");
    expect(result.totalUsage).toMatchObject({ inputTokens: 20, outputTokens: 7, totalTokens: 27 });
    expect(sim.requests[0]?.stream).toBeUndefined();
  });

  it("returns non-streamed tool calls, malformed arguments included", async () => {
    sim.script({ toolCalls: [{ name: "restart_container", arguments: '{"name": "plex"', id: "call_x" }] });

    const result = await generateText({
      model: model(),
      prompt: "Restart plex",
      tools: { restart_container: tool({ inputSchema: z.object({ name: z.string() }) }) },
      maxRetries: 0,
    });

    expect(result.finishReason).toBe("tool-calls");
    // The SDK keeps an unparsable call as an invalid tool call with the raw text as its input.
    expect(result.toolCalls).toMatchObject([
      { toolCallId: "call_x", invalid: true, input: '{"name": "plex"' },
    ]);
  });

  it("surfaces an error turn as an APICallError with its status", async () => {
    sim.script({ error: { status: 429, message: "Rate limit reached", type: "requests" } });

    const error = await generateText({ model: model(), prompt: "Hi", maxRetries: 0 }).catch(
      (e: unknown) => e,
    );

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, message: "Rate limit reached" });
  });

  it("reports a streamed error turn through onError", async () => {
    sim.script({ error: { status: 503, message: "Overloaded" } });
    const errors: unknown[] = [];

    const result = streamText({
      model: model(),
      prompt: "Hi",
      maxRetries: 0,
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    // The awaited text only says "no output"; the APICallError with the status goes to onError.
    await expect(result.text).rejects.toThrow(NoOutputGeneratedError);

    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ statusCode: 503, message: "Overloaded" });
  });

  it("rejects a wrong API key with 401", async () => {
    sim.script({ text: "never sent" });

    const error = await generateText({ model: model("sk-wrong"), prompt: "Hi", maxRetries: 0 }).catch(
      (e: unknown) => e,
    );

    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401 });
    expect(sim.requests).toHaveLength(0);
    expect(sim.remaining()).toBe(1);
  });

  it("fails loudly when the script is exhausted", async () => {
    sim.script({ text: "only one" });
    await generateText({ model: model(), prompt: "1", maxRetries: 0 });

    const error = await generateText({ model: model(), prompt: "2", maxRetries: 0 }).catch((e: unknown) => e);

    expect(error).toMatchObject({ statusCode: 500, message: "openai-sim: script exhausted (request 2)" });
  });

  it("hangs until the client aborts", async () => {
    sim.script({ hang: true });
    const controller = new AbortController();
    const pending = generateText({
      model: model(),
      prompt: "Hi",
      maxRetries: 0,
      abortSignal: controller.signal,
    }).catch((e: unknown) => e);

    await expect.poll(() => sim.requests.length, { timeout: 15_000 }).toBe(1);
    controller.abort();

    expect(await pending).toBeInstanceOf(Error);
    // The server learns of the abort when the socket closes, a moment after the client gives up.
    await expect.poll(() => sim.serverTimeMs(), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  it("close() ends a hanging request the client never aborts", async () => {
    sim.script({ hang: true });
    const pending = generateText({ model: model(), prompt: "Hi", maxRetries: 0 }).catch((e: unknown) => e);
    await expect.poll(() => sim.requests.length, { timeout: 15_000 }).toBe(1);

    await sim.close();

    expect(await pending).toBeInstanceOf(Error);
  });

  it("sends no usage chunk unless the client asks with stream_options.include_usage", async () => {
    sim.script({ text: "hi", usage: { prompt_tokens: 5, completion_tokens: 1 } });
    const plain = createOpenAICompatible({ name: "sim", baseURL: sim.baseURL, apiKey: API_KEY })("sim-model");

    const result = streamText({ model: plain, prompt: "Hi", maxRetries: 0 });

    expect(await result.text).toBe("hi");
    expect(sim.requests[0]?.stream_options).toBeUndefined();
    expect((await result.totalUsage).inputTokens).toBeUndefined();
  });

  it("speaks the chunk wire format: role first, indexed tool call deltas, finish, usage, [DONE]", async () => {
    sim.script({ toolCalls: [{ name: "ping", arguments: { host: "nas" } }], chunkSize: 4 });
    const response = await fetch(`${sim.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "ping" }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await response.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, "")));

    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    expect(chunks[1].choices[0].delta.tool_calls[0]).toEqual({
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "ping", arguments: "" },
    });
    const argPieces = chunks.slice(2, -2).map((c) => c.choices[0].delta.tool_calls[0].function.arguments);
    expect(argPieces.join("")).toBe('{"host":"nas"}');
    expect(argPieces.length).toBeGreaterThan(1);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("tool_calls");
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it("lists the models it has been asked for", async () => {
    const list = async () => {
      const response = await fetch(`${sim.baseURL}/models`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      return ((await response.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    };
    expect(await list()).toEqual(["sim-model"]);

    sim.script({ text: "hi" });
    await generateText({
      model: createOpenAICompatible({ name: "sim", baseURL: sim.baseURL, apiKey: API_KEY })("qwen3:8b"),
      prompt: "Hi",
      maxRetries: 0,
    });
    expect(await list()).toEqual(["qwen3:8b"]);
  });
});
