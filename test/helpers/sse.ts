/** One Server-Sent Event as a reader sees it: a comment (`: …`) or the JSON of its data lines. */
export type SseFrame = { comment: string } | { data: unknown };

/**
 * Reads a Server-Sent Events response frame by frame: `next(match)` resolves with the first frame
 * (from where the last `next` stopped) that matches, or rejects when the stream ends first.
 */
export function readSse(response: Response) {
  if (!response.body) throw new Error("the response has no body");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const frames: SseFrame[] = [];
  let buffer = "";
  let ended = false;

  async function more(): Promise<void> {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += value;
    let cut = buffer.indexOf("\n\n");
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart());
      if (data.length) frames.push({ data: JSON.parse(data.join("\n")) });
      else if (block.startsWith(":")) frames.push({ comment: block.slice(1).trim() });
      cut = buffer.indexOf("\n\n");
    }
  }

  /** Every frame read so far (including those `next` skipped). */
  const seen: SseFrame[] = [];
  return {
    seen,
    async next(match: (frame: SseFrame) => boolean = () => true): Promise<SseFrame> {
      for (;;) {
        while (frames.length) {
          const frame = frames.shift()!;
          seen.push(frame);
          if (match(frame)) return frame;
        }
        if (ended) throw new Error("the event stream ended before the expected event");
        await more();
      }
    },
    /** The data of the next event whose `type` is `type` (and that `match` accepts). */
    async event<T = Record<string, unknown>>(
      type: string,
      match: (data: T) => boolean = () => true,
    ): Promise<T> {
      const frame = await this.next((f) => {
        if (!("data" in f)) return false;
        const data = f.data as { type?: string };
        return data.type === type && match(f.data as T);
      });
      return (frame as { data: T }).data;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
