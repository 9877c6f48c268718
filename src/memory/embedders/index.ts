import type { Config } from "../../config.ts";
import { createLexicalEmbedder } from "./lexical.ts";
import { createRemoteEmbedder } from "./remote.ts";
import type { Embedder } from "./types.ts";

export type { Embedder } from "./types.ts";

/** The embedder JARVIS_EMBEDDING_MODEL names: `lexical-<dims>` (offline default) or a remote model. */
export function createEmbedder(config: Config, options: { fetch?: typeof fetch } = {}): Embedder {
  const spec = config.memory.embeddingModel;
  const lexical = /^lexical-(\d+)$/.exec(spec);
  if (lexical) return createLexicalEmbedder(Number(lexical[1]));
  return createRemoteEmbedder({
    spec,
    apiKey: config.agent.apiKey?.reveal(),
    openaiBaseUrl: config.agent.openaiBaseUrl,
    fetch: options.fetch,
    maxRetries: config.agent.maxRetries,
  });
}
