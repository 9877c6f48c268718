/** Turns texts into vectors. `name` identifies the model in the database (one embedding row per model). */
export interface Embedder {
  /** e.g. `lexical-384`, `openai:text-embedding-3-small`. */
  name: string;
  /** Known up front for local embedders; remote ones report it with their first vectors. */
  dims?: number;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}
