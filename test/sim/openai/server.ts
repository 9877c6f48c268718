/**
 * A scripted OpenAI-compatible server for tests: each POST /v1/chat/completions consumes the next
 * scripted turn and answers in the real Chat Completions wire format.
 *
 * Follows the OpenAI API reference:
 * - Create chat completion (request body, `stream`, `stream_options.include_usage`):
 *   https://platform.openai.com/docs/api-reference/chat/create
 * - The chat completion object (non-streaming response):
 *   https://platform.openai.com/docs/api-reference/chat/object
 * - The chat completion chunk object (streaming, SSE `data: <json>` lines ending in `data: [DONE]`):
 *   https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * - Error bodies `{ error: { message, type, param, code } }`:
 *   https://platform.openai.com/docs/guides/error-codes
 * - List models: https://platform.openai.com/docs/api-reference/models/list
 * - Create embeddings (`input` a string or an array of strings; `{object: "list", data: [{object:
 *   "embedding", index, embedding}], model, usage}`): https://platform.openai.com/docs/api-reference/embeddings/create
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

/** Token counts reported for a turn; `total_tokens` is derived. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** A scripted tool call; `arguments` given as a string is sent verbatim (malformed JSON allowed). */
export interface ScriptedToolCall {
  name: string;
  arguments: string | Record<string, unknown>;
  /** Defaults to `call_<n>`, numbered across the simulator's lifetime. */
  id?: string;
}

/** One scripted answer to one chat completions request. */
export type ScriptedTurn =
  /** Assistant text, finish_reason "stop". Streamed in `chunkSize`-character deltas (default 8). */
  | { text: string; usage?: Usage; chunkSize?: number }
  /** Tool calls (after optional text), finish_reason "tool_calls". Arguments stream in `chunkSize` pieces. */
  | { toolCalls: ScriptedToolCall[]; text?: string; usage?: Usage; chunkSize?: number }
  /** An HTTP error with OpenAI's error body. */
  | { error: { status: number; message: string; type?: string } }
  /** Never answers, until the client aborts or the simulator closes. */
  | { hang: true }
  /** Decides from the request, e.g. from the last `role: "tool"` message. */
  | ((request: ChatRequest) => ScriptedTurn);

/** A chat completions request body as received. */
export interface ChatRequest {
  model: string;
  messages: Array<Record<string, unknown>>;
  tools?: unknown[];
  stream?: boolean;
  [k: string]: unknown;
}

/** A running simulator. */
export interface OpenAISim {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** Appends turns; each POST /v1/chat/completions consumes the next one. */
  script(...turns: ScriptedTurn[]): void;
  /** Every authorized chat completions request body received, in order. */
  requests: ChatRequest[];
  /** The inputs of every POST /v1/embeddings, in order. */
  embeddingRequests: Array<{ model: string; input: string[] }>;
  /** Turns not yet consumed. */
  remaining(): number;
  /** Total ms spent handling completions (request received to response ended), for overhead benchmarks. */
  serverTimeMs(): number;
  /** Closes the server and every open connection, hanging ones included. Safe to call twice. */
  close(): Promise<void>;
}

type StaticTurn = Exclude<ScriptedTurn, (request: ChatRequest) => ScriptedTurn>;

const DEFAULT_CHUNK_SIZE = 8;

/**
 * Starts the simulator on 127.0.0.1 and a free port unless told otherwise.
 * With `apiKey` set, every request must carry `Authorization: Bearer <apiKey>` or gets a 401.
 */
export async function startOpenAISim(
  options: { apiKey?: string; port?: number; host?: string } = {},
): Promise<OpenAISim> {
  const host = options.host ?? "127.0.0.1";
  const turns: ScriptedTurn[] = [];
  const requests: ChatRequest[] = [];
  const embeddingRequests: Array<{ model: string; input: string[] }> = [];
  const modelsSeen = new Set<string>();
  let completionCount = 0;
  let toolCallCount = 0;
  let busyMs = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `openai-sim: ${String(error)}`, "server_error");
      else res.destroy();
    });
  });

  // Keep idle connections longer than any client pool does: a server closing a pooled keep-alive
  // connection just as the client reuses it resets that request (ECONNRESET) under load.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://sim").pathname;
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      // Read the body first: answering before the client has sent it resets the connection.
      await readBody(req);
      sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
      return;
    }
    if (req.method === "GET" && path === "/v1/models") {
      const ids = modelsSeen.size > 0 ? [...modelsSeen] : ["sim-model"];
      sendJson(res, 200, {
        object: "list",
        data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "openai-sim" })),
      });
      return;
    }
    if (req.method === "POST" && path === "/v1/embeddings") {
      let body: { model?: string; input?: unknown };
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
        return;
      }
      const input = typeof body.input === "string" ? [body.input] : body.input;
      if (!Array.isArray(input) || input.length === 0 || input.some((item) => typeof item !== "string")) {
        sendError(res, 400, "'input' must be a string or an array of strings", "invalid_request_error");
        return;
      }
      const model = body.model ?? "sim-embedding";
      embeddingRequests.push({ model, input: input as string[] });
      const tokens = (input as string[]).reduce((n, text) => n + estimateTokens(text), 0);
      sendJson(res, 200, {
        object: "list",
        data: (input as string[]).map((text, index) => ({
          object: "embedding",
          index,
          embedding: embed(text),
        })),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
      return;
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      sendError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error");
      return;
    }

    const started = performance.now();
    res.once("close", () => {
      busyMs += performance.now() - started;
    });
    let request: ChatRequest;
    try {
      request = JSON.parse(await readBody(req)) as ChatRequest;
    } catch {
      sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
      return;
    }
    requests.push(request);
    modelsSeen.add(request.model);
    completionCount++;

    let turn = turns.shift();
    if (turn === undefined) {
      sendError(res, 500, `openai-sim: script exhausted (request ${completionCount})`, "server_error");
      return;
    }
    while (typeof turn === "function") turn = turn(request);
    respond(res, request, turn);
  }

  function respond(res: ServerResponse, request: ChatRequest, turn: StaticTurn): void {
    if ("hang" in turn) return; // the socket stays open until the client aborts or close()
    if ("error" in turn) {
      const { status, message, type } = turn.error;
      sendError(res, status, message, type ?? (status >= 500 ? "server_error" : "invalid_request_error"));
      return;
    }
    const text = turn.text;
    const toolCalls =
      "toolCalls" in turn
        ? turn.toolCalls.map((call) => ({
            id: call.id ?? `call_${++toolCallCount}`,
            type: "function" as const,
            function: {
              name: call.name,
              arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
            },
          }))
        : [];
    const finishReason = toolCalls.length > 0 ? "tool_calls" : "stop";
    const completionText =
      (text ?? "") + toolCalls.map((c) => c.function.name + c.function.arguments).join("");
    const usage = withTotal(
      turn.usage ?? {
        prompt_tokens: estimateTokens(JSON.stringify(request.messages)),
        completion_tokens: estimateTokens(completionText),
      },
    );
    const head = { id: `chatcmpl-sim-${completionCount}`, created: Math.floor(Date.now() / 1000) };

    if (request.stream !== true) {
      sendJson(res, 200, {
        ...head,
        object: "chat.completion",
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: text ?? null,
              refusal: null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }

    const includeUsage =
      (request.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const size = Math.max(1, turn.chunkSize ?? DEFAULT_CHUNK_SIZE);
    // When include_usage is set, every chunk carries `usage: null` except the final usage chunk.
    const chunk = (
      choices: unknown[],
      extra: Record<string, unknown> = includeUsage ? { usage: null } : {},
    ) =>
      `data: ${JSON.stringify({ ...head, object: "chat.completion.chunk", model: request.model, choices, ...extra })}\n\n`;
    const delta = (d: Record<string, unknown>, finish: string | null = null) =>
      chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);

    const events = [delta({ role: "assistant", content: "", refusal: null })];
    for (const piece of split(text ?? "", size)) events.push(delta({ content: piece }));
    toolCalls.forEach((call, index) => {
      const { name, arguments: args } = call.function;
      events.push(
        delta({ tool_calls: [{ index, id: call.id, type: "function", function: { name, arguments: "" } }] }),
      );
      for (const piece of split(args, size)) {
        events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    });
    events.push(delta({}, finishReason));
    if (includeUsage) events.push(chunk([], { usage }));
    events.push("data: [DONE]\n\n");

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    for (const event of events) res.write(event);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://${host}:${port}/v1`,
    requests,
    embeddingRequests,
    script: (...more) => {
      turns.push(...more);
    },
    remaining: () => turns.length,
    serverTimeMs: () => busyMs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve(); // closing twice is harmless
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
) {
  sendJson(res, status, { error: { message, type, param: null, code } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** Splits into pieces of `size` code points, so a multi-byte character is never cut. */
function split(text: string, size: number): string[] {
  const chars = [...text];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(""));
  return pieces;
}

/** Roughly four characters per token: good enough for a default nobody asserts exactly. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function withTotal(usage: Usage) {
  return { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
}

/** Deterministic 64-dimension embeddings: hashed lower-case words, L2-normalised. */
const EMBEDDING_DIMS = 64;
function embed(text: string): number[] {
  const v = new Array<number>(EMBEDDING_DIMS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    v[(hash >>> 0) % EMBEDDING_DIMS]! += 1;
  }
  const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
