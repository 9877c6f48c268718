import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import type { Config } from "../config.ts";
import { JarvisError } from "../errors.ts";

/** A model Jarvis can drive, with what to call it in logs and errors (never with a key). */
export interface ModelChoice {
  model: LanguageModelV4;
  /** The JARVIS_MODEL value, e.g. "openai-compatible:http://localhost:11434/v1#qwen3:8b". */
  name: string;
  /** Where requests go, for "cannot reach …" messages. */
  endpoint: string;
}

const noModelText = [
  "No language model is configured, so I can only answer this: set JARVIS_MODEL to use one.",
  "",
  "- OpenAI: JARVIS_MODEL=openai:gpt-4.1-mini and OPENAI_API_KEY=…",
  "- Ollama, vLLM, llama.cpp server, LM Studio (any OpenAI-compatible server):",
  "  JARVIS_MODEL=openai-compatible:http://localhost:11434/v1#qwen3:8b",
  "",
  "Then restart Jarvis. Tools work without a model: npm run jarvis -- tools list",
].join("\n");

/**
 * The embedded default until the local intent engine lands: a model that streams one answer
 * saying how to configure a real one. It calls no tools.
 */
export function createUnconfiguredModel(): LanguageModelV4 {
  const usage = {
    inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 0, text: 0, reasoning: 0 },
  };
  const parts: LanguageModelV4StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "local" },
    { type: "text-delta", id: "local", delta: noModelText },
    { type: "text-end", id: "local" },
    { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage },
  ];
  return {
    specificationVersion: "v4",
    provider: "jarvis",
    modelId: "local",
    supportedUrls: {},
    async doGenerate() {
      return {
        content: [{ type: "text", text: noModelText }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      };
    },
    async doStream() {
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

/** Builds the model JARVIS_MODEL names. `fetch` is injectable for tests and proxies. */
export function createModel(config: Config, options: { fetch?: typeof fetch } = {}): ModelChoice {
  const spec = config.model;
  const apiKey = config.agent.apiKey?.reveal();
  if (spec === "local") return { model: createUnconfiguredModel(), name: "local", endpoint: "in-process" };
  if (spec.startsWith("openai:")) {
    if (!apiKey) {
      throw new JarvisError(
        "invalid_config",
        "Invalid configuration:\n- OPENAI_API_KEY: required for JARVIS_MODEL=openai:…",
      );
    }
    const baseURL = config.agent.openaiBaseUrl;
    const provider = createOpenAI({ apiKey, baseURL, fetch: options.fetch });
    return {
      model: provider.chat(spec.slice("openai:".length)) as LanguageModelV4,
      name: spec,
      endpoint: baseURL ?? "https://api.openai.com/v1",
    };
  }
  const rest = spec.slice("openai-compatible:".length);
  const hash = rest.lastIndexOf("#");
  const baseURL = rest.slice(0, hash).replace(/\/+$/, "");
  const modelId = rest.slice(hash + 1);
  const provider = createOpenAICompatible({
    name: "openai-compatible",
    baseURL,
    apiKey,
    includeUsage: true,
    fetch: options.fetch,
  });
  return { model: provider.chatModel(modelId) as LanguageModelV4, name: spec, endpoint: baseURL };
}
