import type { AddressInfo } from "node:net";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { type ServerType, serve } from "@hono/node-server";
import { generateText, streamText, tool } from "ai";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Jarvis } from "../src/jarvis.ts";
import { Secret } from "../src/secret.ts";
import { createApp } from "../src/server/app.ts";
import { createTestJarvis, testConfig } from "./helpers/jarvis.ts";
import { homelabHomeAssistant } from "./sim/homeassistant/homelab.ts";
import { type HomeAssistantSim, startHomeAssistantSim } from "./sim/homeassistant/server.ts";
import { startOpenAISim } from "./sim/openai/server.ts";

const haToken = "ha-voice-token";

/** The voice routes over real HTTP, driven by real clients, against the Home Assistant simulator. */
describe("voice routes", () => {
  let sim: HomeAssistantSim;
  let jarvis: Jarvis;
  let server: ServerType;
  let base: string;
  let token: string;

  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(haToken));
    jarvis = await createTestJarvis({
      config: testConfig({}, { HA_URL: sim.url, HA_TOKEN: haToken, JARVIS_MODEL: "local" }),
    });
    await jarvis.clients.homeassistant!.ready();
    token = (await jarvis.tokens.create({ name: "home assistant", role: "operator" })).token;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: createApp(jarvis).fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await jarvis?.close();
    await sim?.stop();
  });

  describe("OpenAI-compatible /v1 (the AI SDK's openai-compatible provider)", () => {
    const model = () =>
      createOpenAICompatible({ name: "jarvis", baseURL: `${base}/v1`, apiKey: token }).chatModel("jarvis");

    it("lists the jarvis model, and refuses a request without a token", async () => {
      const models = await fetch(`${base}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
      expect(await models.json()).toMatchObject({
        object: "list",
        data: [{ id: "jarvis", object: "model" }],
      });
      const anonymous = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ messages: [{ role: "user", content: "unlock the front door" }] }),
      });
      expect(anonymous.status).toBe(401);
    });

    it("answers a question with a short spoken sentence, ignoring the caller's tools", async () => {
      let called = false;
      const result = await generateText({
        model: model(),
        system: "You are a voice assistant. The time is 08:00.",
        prompt: "what's the temperature outside",
        tools: {
          HassTurnOff: tool({
            description: "turn things off",
            inputSchema: z.object({ name: z.string() }),
            execute: async () => {
              called = true;
              return "ok";
            },
          }),
        },
      });
      expect(result.text).toBe("Outdoor Temperature is 7.5 °C.");
      expect(result.toolCalls).toEqual([]);
      expect(called).toBe(false);
    });

    it("streams, asks to confirm a write, and 'confirm' next turn runs exactly that call", async () => {
      const first = streamText({ model: model(), prompt: "turn off the kitchen lights" });
      const ask = await first.text;
      expect(ask).toBe("Turn off the kitchen? Say confirm.");
      expect(sim.states.get("light.kitchen")?.state).toBe("on");
      const second = streamText({
        model: model(),
        messages: [
          { role: "user", content: "turn off the kitchen lights" },
          { role: "assistant", content: ask },
          { role: "user", content: "confirm" },
        ],
      });
      expect(await second.text).toMatch(/kitchen is off/i);
      expect(sim.states.get("light.kitchen")?.state).toBe("off");
      const approvals = await jarvis.approvals.list({ status: "approved" });
      expect(approvals.filter((a) => a.tool === "ha_call_service")).toHaveLength(1);
    });

    it("anything else than confirm cancels: the door stays locked", async () => {
      const ask = await generateText({ model: model(), prompt: "unlock the front door" });
      expect(ask.text).toBe("Unlock the front door? That needs approval in the Jarvis app or console.");
      const next = await generateText({
        model: model(),
        messages: [
          { role: "user", content: "unlock the front door" },
          { role: "assistant", content: ask.text },
          { role: "user", content: "what's the temperature outside" },
        ],
      });
      expect(next.text).toMatch(/Outdoor Temperature is/);
      expect(sim.states.get("lock.front_door")?.state).toBe("locked");
      const denied = await jarvis.approvals.list({ status: "denied" });
      expect(denied.some((a) => a.tool === "ha_call_service" && a.target === "lock.front_door")).toBe(true);
    });

    it("never unlocks on a spoken 'yes' alone; with a PIN configured, 'confirm <PIN>' does", async () => {
      const turns = async (first: string, reply: string) => {
        const ask = await generateText({ model: model(), prompt: first });
        const answer = await generateText({
          model: model(),
          messages: [
            { role: "user", content: first },
            { role: "assistant", content: ask.text },
            { role: "user", content: reply },
          ],
        });
        return { ask: ask.text, answer: answer.text };
      };
      const noPin = await turns("unlock the front door", "yes");
      expect(noPin.answer).toMatch(/can't be approved by voice/);
      expect(sim.states.get("lock.front_door")?.state).toBe("locked");
      expect(
        (await jarvis.approvals.list({ status: "pending" })).some((a) => a.target === "lock.front_door"),
      ).toBe(true);

      // The owner sets a spoken PIN (JARVIS_VOICE_PIN); config is read per turn.
      const voice = jarvis.config.voice as { pin?: Secret };
      voice.pin = new Secret("4321");
      try {
        const wrong = await turns("open the garage door", "yes");
        expect(wrong.ask).toBe("Open the garage door? Say confirm and your PIN.");
        expect(wrong.answer).toBe("Say confirm and your PIN.");
        expect(sim.states.get("cover.garage_door")?.state).toBe("closed");
        const right = await turns("unlock the front door", "confirm 4321");
        expect(right.answer).toMatch(/front door is unlocked/i);
        expect(sim.states.get("lock.front_door")?.state).toBe("unlocked");
      } finally {
        voice.pin = undefined;
      }
    });
  });

  describe("Ollama-compatible /ollama (the ollama npm client, whose host keeps the /ollama path)", () => {
    const client = () =>
      new Ollama({ host: `${base}/ollama`, headers: { Authorization: `Bearer ${token}` } });

    it("lists and shows the jarvis model", async () => {
      const list = await client().list();
      expect(list.models.map((m) => m.name)).toEqual(["jarvis:latest"]);
      const show = await client().show({ model: "jarvis:latest" });
      expect(show.capabilities).toContain("completion");
    });

    it("streams NDJSON by default, ending with done: true, and ignores the caller's tools", async () => {
      const parts = await client().chat({
        model: "jarvis:latest",
        stream: true,
        messages: [
          { role: "system", content: "You are Home Assistant's voice assistant." },
          { role: "user", content: "which lights are on" },
        ],
        tools: [
          {
            type: "function",
            function: {
              name: "HassTurnOn",
              description: "on",
              parameters: { type: "object", properties: {} },
            },
          },
        ],
      });
      let text = "";
      let last: { done?: boolean; done_reason?: string; message?: { tool_calls?: unknown } } = {};
      for await (const part of parts) {
        text += part.message.content;
        expect(part.message.tool_calls).toBeUndefined();
        last = part;
      }
      expect(last).toMatchObject({ done: true, done_reason: "stop" });
      expect(text).toMatch(/light/i);
      expect(text).not.toMatch(/[*#`]/);
    });

    it("answers in one object with stream: false, and continues the conversation for a confirmation", async () => {
      const first = await client().chat({
        model: "jarvis:latest",
        stream: false,
        messages: [{ role: "user", content: "start the coffee maker" }],
      });
      expect(first).toMatchObject({
        done: true,
        message: { role: "assistant", content: "Turn on the coffee maker? Say confirm." },
      });
      const second = await client().chat({
        model: "jarvis:latest",
        stream: false,
        messages: [
          { role: "user", content: "start the coffee maker" },
          first.message,
          { role: "user", content: "yes" },
        ],
      });
      expect(second.message.content).toMatch(/coffee maker is on/i);
      expect(sim.states.get("switch.coffee_maker")?.state).toBe("on");
    });
  });

  describe("Ollama-compatible with the token in the URL path (Home Assistant's built-in Ollama integration sends no header)", () => {
    it("answers a client that knows only the URL http://<jarvis>/ollama/key/<token>", async () => {
      const client = new Ollama({ host: `${base}/ollama/key/${token}` });
      const list = await client.list();
      expect(list.models.map((m) => m.name)).toEqual(["jarvis:latest"]);
      const answer = await client.chat({
        model: "jarvis:latest",
        stream: false,
        messages: [{ role: "user", content: "which lights are on" }],
      });
      expect(answer.message.content).toMatch(/light/i);
    });

    it("refuses a wrong token in the path, and never echoes a path token back", async () => {
      const wrong = new Ollama({ host: `${base}/ollama/key/not-a-token` });
      await expect(wrong.list()).rejects.toMatchObject({ status_code: 401 });
      const missing = await fetch(`${base}/ollama/key/${token}/api/nothing-here`, { method: "POST" });
      expect(missing.status).toBe(404);
      const body = await missing.text();
      expect(body).toContain("/ollama/key/<token>/api/nothing-here");
      expect(body).not.toContain(token);
    });
  });

  describe("webhook-conversation (the HACS integration's payload and answers, raw HTTP)", () => {
    const post = (
      body: unknown,
      auth = `Basic ${Buffer.from(`homeassistant:${token}`).toString("base64")}`,
    ) =>
      fetch(`${base}/voice/webhook-conversation`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const payload = (
      conversation: string,
      messages: Array<{ role: string; content: string }>,
      stream = false,
    ) => ({
      conversation_id: conversation,
      messages: [{ role: "system", content: "You are a voice assistant for Home Assistant." }, ...messages],
      query: messages.at(-1)?.content,
      system_prompt: "You are a voice assistant for Home Assistant.",
      user_id: "ha-user-1",
      exposed_entities: "light.kitchen: on",
      stream,
    });

    it("answers {output} with Basic auth (the token as password), and refuses a wrong one", async () => {
      const response = await post(
        payload("01HWEBHOOK1", [{ role: "user", content: "what's the temperature outside" }]),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ output: "Outdoor Temperature is 7.5 °C." });
      const wrong = await post(
        payload("01HWEBHOOK1", [{ role: "user", content: "hi" }]),
        "Basic d3Jvbmc6d3Jvbmc=",
      );
      expect(wrong.status).toBe(401);
    });

    it("streams item lines then end, and a 'confirm' in the same conversation approves the call", async () => {
      sim.setState("light.bedroom", "off");
      const asked = await post(
        payload("01HWEBHOOK2", [{ role: "user", content: "turn on the bedroom light" }], true),
      );
      const lines = (await asked.text())
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines).toEqual([
        { type: "item", content: "Turn on the bedroom? Say confirm." },
        { type: "end" },
      ]);
      const confirmed = await post(
        payload("01HWEBHOOK2", [
          { role: "user", content: "turn on the bedroom light" },
          { role: "assistant", content: lines[0].content },
          { role: "user", content: "confirm" },
        ]),
      );
      expect(((await confirmed.json()) as { output: string }).output).toMatch(/bedroom is on/i);
      expect(sim.states.get("light.bedroom")?.state).toBe("on");
    });
  });
});

describe("voice is local-first even with an LLM configured", () => {
  let sim: HomeAssistantSim;
  let llm: Awaited<ReturnType<typeof startOpenAISim>>;
  let jarvis: Jarvis;
  let app: ReturnType<typeof createApp>;
  let token: string;
  beforeAll(async () => {
    sim = await startHomeAssistantSim(homelabHomeAssistant(haToken));
    llm = await startOpenAISim();
    jarvis = await createTestJarvis({
      config: testConfig(
        {},
        { HA_URL: sim.url, HA_TOKEN: haToken, JARVIS_MODEL: `openai-compatible:${llm.baseURL}#sim-model` },
      ),
    });
    await jarvis.clients.homeassistant!.ready();
    token = (await jarvis.tokens.create({ name: "voice", role: "operator" })).token;
    app = createApp(jarvis);
  });
  afterAll(async () => {
    await jarvis?.close();
    await llm?.close();
    await sim?.stop();
  });
  const ask = async (content: string) => {
    const response = await app.request("/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "jarvis", messages: [{ role: "user", content }] }),
    });
    return ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!
      .message.content;
  };

  it("answers a common command without the LLM, and hands the rest to it", async () => {
    expect(await ask("what's the temperature outside")).toBe("Outdoor Temperature is 7.5 °C.");
    expect(llm.requests.length).toBe(0);
    llm.script({ text: "**Sure!** Here is a haiku:\n\n- lights dim in the hall" });
    expect(await ask("write me a haiku about my house")).toBe(
      "Sure! Here is a haiku: lights dim in the hall",
    );
    expect(llm.requests.length).toBe(1);
  });
});
