import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import type { Config } from "../config.ts";
import { JarvisError } from "../errors.ts";
import { createIntentRecognizer } from "./intents/index.ts";
import type { InventorySource } from "./intents/inventory.ts";
import { createLocalFirstModel } from "./intents/local-first.ts";
import { createLocalModel } from "./intents/local-model.ts";

/** A model Jarvis can drive, with what to call it in logs and errors (never with a key). */
export interface ModelChoice {
  model: LanguageModelV4;
  /** The JARVIS_MODEL value, e.g. "openai-compatible:http://localhost:11434/v1#qwen3:8b". */
  name: string;
  /** Where requests go, for "cannot reach …" messages. */
  endpoint: string;
}

/**
 * Builds the model JARVIS_MODEL names: the local intent engine (`local`), or an LLM, with the local
 * engine in front when JARVIS_LOCAL_FIRST is on. `fetch` is injectable for tests and proxies.
 */
export function createModel(
  config: Config,
  options: { fetch?: typeof fetch; inventory: InventorySource },
): ModelChoice {
  const local = createLocalModel(createIntentRecognizer(), options.inventory);
  if (config.model === "local") return { model: local, name: "local", endpoint: "in-process" };
  const llm = createLlm(config, options.fetch);
  if (!config.agent.localFirst) return llm;
  return {
    ...llm,
    model: createLocalFirstModel(local, llm.model, config.agent.localThreshold),
    name: `local-first+${llm.name}`,
  };
}

function createLlm(config: Config, fetchImpl: typeof fetch | undefined): ModelChoice {
  const options = { fetch: fetchImpl };
  const spec = config.model;
  const apiKey = config.agent.apiKey?.reveal();
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
