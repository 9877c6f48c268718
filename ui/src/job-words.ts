/** Words for a job's progress object: its stage (when it is text), then its other figures ("files done 3"). */
export function progressWords(progress: Record<string, unknown>): { stage?: string; figures: string[] } {
  const stage = typeof progress.stage === "string" ? progress.stage : undefined;
  const figures = Object.entries(progress)
    .filter(
      ([k, v]) =>
        !(k === "stage" && stage !== undefined) && ["number", "string", "boolean"].includes(typeof v),
    )
    .map(
      ([k, v]) =>
        `${k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} ${typeof v === "number" ? v.toLocaleString("en") : v}`,
    );
  return { stage, figures };
}

/** How the row of a job in this state looks. */
export const stateTone = (state: string) =>
  state === "active"
    ? "busy"
    : state === "failed"
      ? "bad"
      : state === "completed"
        ? "ok"
        : state === "delayed"
          ? "warn"
          : "";
