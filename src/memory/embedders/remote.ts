import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { embedMany } from "ai";
import { JarvisError } from "../../errors.ts";
import type { Embedder } from "./types.ts";

export interface RemoteEmbedderOptions {
  /** The JARVIS_EMBEDDING_MODEL value: `openai:<model>` or `openai-compatible:<baseURL>#<model>`. */
  spec: string;
  apiKey?: string;
  openaiBaseUrl?: string;
  fetch?: typeof fetch;
  maxRetries?: number;
}

/** An embedder over an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, vLLM…), via the AI SDK. */
export function createRemoteEmbedder(options: RemoteEmbedderOptions): Embedder {
  const { spec } = options;
  let model: Parameters<typeof embedMany>[0]["model"];
  let endpoint: string;
  if (spec.startsWith("openai:")) {
    if (!options.apiKey) {
      throw new JarvisError(
        "invalid_config",
        "Invalid configuration:\n- OPENAI_API_KEY: required for JARVIS_EMBEDDING_MODEL=openai:…",
      );
    }
    endpoint = options.openaiBaseUrl ?? "https://api.openai.com/v1";
    const provider = createOpenAI({
      apiKey: options.apiKey,
      baseURL: options.openaiBaseUrl,
      fetch: options.fetch,
    });
    model = provider.embedding(spec.slice("openai:".length));
  } else {
    const rest = spec.slice("openai-compatible:".length);
    const hash = rest.lastIndexOf("#");
    endpoint = rest.slice(0, hash).replace(/\/+$/, "");
    const provider = createOpenAICompatible({
      name: "openai-compatible",
      baseURL: endpoint,
      apiKey: options.apiKey,
      fetch: options.fetch,
    });
    model = provider.embeddingModel(rest.slice(hash + 1));
  }
  const embedder: Embedder = {
    name: spec,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      try {
        const { embeddings } = await embedMany({
          model,
          values: texts,
          abortSignal: signal,
          maxRetries: options.maxRetries ?? 2,
        });
        embedder.dims ??= embeddings[0]?.length;
        return embeddings;
      } catch (error) {
        throw new JarvisError(
          "unavailable",
          `Embedding model ${spec} at ${endpoint} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
  return embedder;
}
