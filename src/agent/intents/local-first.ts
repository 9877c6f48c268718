import type { LanguageModelV4 } from "@ai-sdk/provider";
import type { createLocalModel } from "./local-model.ts";

/**
 * Local first, LLM for the rest: the intent engine answers what it recognizes with enough
 * confidence (fast, offline, deterministic), and the language model everything else. A turn stays
 * with whichever model started it, since both re-read the same last user message.
 */
export function createLocalFirstModel(
  local: ReturnType<typeof createLocalModel>,
  llm: LanguageModelV4,
  threshold: number,
): LanguageModelV4 {
  const pick = async (options: Parameters<LanguageModelV4["doStream"]>[0]) => {
    const recognition = await local.recognizeTurn(options);
    return recognition && recognition.confidence >= threshold ? local : llm;
  };
  return {
    specificationVersion: "v4",
    provider: `local-first+${llm.provider}`,
    modelId: `local-first:${llm.modelId}`,
    supportedUrls: llm.supportedUrls,
    doGenerate: async (options) => (await pick(options)).doGenerate(options),
    doStream: async (options) => (await pick(options)).doStream(options),
  };
}
