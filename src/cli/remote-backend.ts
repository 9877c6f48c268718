import { randomUUID } from "node:crypto";
import { DefaultChatTransport, type UIMessage } from "ai";
import { type ErrorCode, JarvisError } from "../errors.ts";
import type { Secret } from "../secret.ts";
import type { Backend, CallOutcome } from "./backend.ts";

/** The HTTP API of a running Jarvis, with a bearer token. */
export function createRemoteBackend(baseUrl: string, token: Secret): Backend {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: T }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, baseUrl), {
        method,
        headers: { authorization: `Bearer ${token.reveal()}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new JarvisError("unavailable", `Cannot reach Jarvis at ${baseUrl}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const data = (await response.json().catch(() => ({}))) as {
      error?: { code: ErrorCode; message: string };
    };
    if (!response.ok) {
      throw new JarvisError(
        data.error?.code ?? "internal",
        data.error?.message ?? `HTTP ${response.status} from ${path}`,
      );
    }
    return { status: response.status, data: data as T };
  }

  const toOutcome = (status: number, data: Record<string, unknown>): CallOutcome =>
    status === 202
      ? { status: "approval_required", approval: data.approval as never }
      : ({ status: "ok", ...data } as CallOutcome);

  return {
    describe: `remote ${baseUrl}`,
    listTools: async () => (await request<{ tools: never[] }>("GET", "/api/tools")).data.tools,
    callTool: async (name, args) => {
      const { status, data } = await request<Record<string, unknown>>(
        "POST",
        `/api/tools/${encodeURIComponent(name)}/call`,
        args,
      );
      return toOutcome(status, data);
    },
    listApprovals: async (status) =>
      (
        await request<{ approvals: never[] }>(
          "GET",
          `/api/approvals${status ? `?status=${encodeURIComponent(status)}` : ""}`,
        )
      ).data.approvals,
    decide: async (id, decision) => {
      const { data } = await request<Record<string, unknown>>(
        "POST",
        `/api/approvals/${encodeURIComponent(id)}`,
        decision,
      );
      const { approval, ...run } = data;
      return { approval: approval as never, run: "result" in run ? toOutcome(200, run) : undefined };
    },
    chat: async (input) => {
      const conversationId = input.conversationId ?? randomUUID();
      const transport = new DefaultChatTransport<UIMessage>({
        api: new URL("/api/chat", baseUrl).toString(),
        headers: { authorization: `Bearer ${token.reveal()}` },
        prepareSendMessagesRequest: ({ id }) => ({
          body: input.approval
            ? { id, approval: input.approval }
            : { id, message: { role: "user", parts: [{ type: "text", text: input.text ?? "" }] } },
        }),
      });
      try {
        const stream = await transport.sendMessages({
          chatId: conversationId,
          messages: [],
          trigger: "submit-message",
          messageId: undefined,
          abortSignal: undefined,
        });
        return { conversationId, stream };
      } catch (error) {
        throw new JarvisError(
          "unavailable",
          `Chat with Jarvis at ${baseUrl} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
    createToken: async (name, role, scopes) =>
      (
        await request<{ token: string }>("POST", "/api/tokens", {
          name,
          role,
          ...(scopes?.length ? { scopes } : {}),
        })
      ).data,
    storeSecret: async (name, value) => {
      await request("PUT", `/api/secrets/${name}`, { value: value.reveal() });
    },
    readSecret: async () => undefined,
    close: async () => {},
  };
}
