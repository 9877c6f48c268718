import { contentWords } from "../text.ts";
import type { Embedder } from "./types.ts";

/** 32-bit FNV-1a. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The offline default embedder, `lexical-<dims>`: hashed word unigrams and bigrams plus character
 * trigrams, signed (the hashing trick), L2-normalised. It needs no model and is deterministic, but
 * it is lexical: it matches shared words and spellings ("restart" ~ "restarts"), not meaning
 * ("NAS" is not close to "storage box"). Configure a real embedding model for semantic recall.
 */
export function createLexicalEmbedder(dims = 384): Embedder {
  const vectorOf = (text: string): number[] => {
    const v = new Float64Array(dims);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      v[h % dims]! += (h & 0x80000000 ? -1 : 1) * weight;
    };
    const tokens = contentWords(text);
    tokens.forEach((word, i) => {
      add(`w:${word}`, 1);
      if (i > 0) add(`b:${tokens[i - 1]} ${word}`, 0.7);
      const padded = `^${word}$`;
      for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, 0.25);
    });
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => Number((x / norm).toFixed(6)));
  };
  return { name: `lexical-${dims}`, dims, embed: async (texts) => texts.map(vectorOf) };
}
