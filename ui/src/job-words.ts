/** Words for a job's progress object: its stage, then its other figures ("files done 3"). */
export function progressWords(progress: Record<string, unknown>): { stage?: string; figures: string[] } {
  const { stage, ...rest } = progress;
  const figures = Object.entries(rest)
    .filter(([, v]) => ["number", "string", "boolean"].includes(typeof v))
    .map(
      ([k, v]) =>
        `${k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} ${typeof v === "number" ? v.toLocaleString("en") : v}`,
    );
  return { stage: typeof stage === "string" ? stage : undefined, figures };
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
