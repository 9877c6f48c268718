import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";

export interface ChatReply {
  conversationId: string;
  chunks: UIMessageChunk[];
  /** The assistant message as the AI SDK's own reader assembled it from the stream. */
  message: UIMessage | undefined;
}

/**
 * A chat client built from the AI SDK's client side: its HTTP transport (as `@ai-sdk/svelte`'s
 * Chat uses it) sends only the new message or an approval decision, and its stream reader parses
 * the SSE reply into chunks and a message.
 */
export function createChatClient(fetchFn: typeof fetch, token: string) {
  let lastConversation = "";
  const transport = new DefaultChatTransport<UIMessage>({
    api: "http://jarvis.test/api/chat",
    headers: { authorization: `Bearer ${token}` },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetchFn(input, init);
      lastConversation = response.headers.get("x-jarvis-conversation-id") ?? "";
      return response;
    }) as typeof fetch,
    prepareSendMessagesRequest: ({ id, messages, body }) => ({
      body: body?.approval ? { id, approval: body.approval } : { id, message: messages.at(-1) },
    }),
  });

  // Like the browser's Chat, the client keeps what it was shown, so a resumed run's chunks extend
  // the assistant message it already has.
  const shown = new Map<string, UIMessage>();

  async function collect(stream: ReadableStream<UIMessageChunk>, base?: UIMessage): Promise<ChatReply> {
    const chunks: UIMessageChunk[] = [];
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    let message: UIMessage | undefined;
    const replay = new ReadableStream<UIMessageChunk>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const start = chunks.find((c) => c.type === "start") as { messageId?: string } | undefined;
    const continues = base && start?.messageId === base.id ? structuredClone(base) : undefined;
    for await (const snapshot of readUIMessageStream({
      message: continues,
      stream: replay,
      onError: () => {},
    })) {
      message = snapshot;
    }
    if (message) shown.set(lastConversation, message);
    return { conversationId: lastConversation, chunks, message };
  }

  return {
    async say(conversationId: string, text: string, abortSignal?: AbortSignal): Promise<ChatReply> {
      const stream = await transport.sendMessages({
        chatId: conversationId,
        messages: [{ id: `u-${Date.now()}-${Math.random()}`, role: "user", parts: [{ type: "text", text }] }],
        trigger: "submit-message",
        messageId: undefined,
        abortSignal,
      });
      return collect(stream, shown.get(conversationId));
    },
    async decide(
      conversationId: string,
      approvalId: string,
      decision: "approve" | "deny",
      reason?: string,
    ): Promise<ChatReply> {
      const stream = await transport.sendMessages({
        chatId: conversationId,
        messages: [],
        trigger: "submit-message",
        messageId: undefined,
        abortSignal: undefined,
        body: { approval: { id: approvalId, decision, reason } },
      });
      return collect(stream, shown.get(conversationId));
    },
  };
}

/** The Jarvis approval announced in a reply's `data-approval` chunk. */
export function approvalIn(
  reply: ChatReply,
): { id: string; tool: string; target: string | null; args: unknown } | undefined {
  const chunk = reply.chunks.find((c) => c.type === "data-approval") as { data: never } | undefined;
  return chunk?.data;
}

/** The concatenated text parts of a message. */
export function textOf(message: UIMessage | undefined): string {
  return (message?.parts ?? [])
    .filter((p): p is { type: "text"; text: string } => p.type === "text")
    .map((p) => p.text)
    .join("");
}
