/** Token usage of a run, summed over its steps (and over its segments when it resumes). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

interface StepUsage {
  inputTokens?: number | { total?: number };
  outputTokens?: number | { total?: number };
}

const count = (value: number | { total?: number } | undefined): number =>
  typeof value === "number" ? value : (value?.total ?? 0);

/** Adds a step's usage (as the provider reported it, possibly partly missing) to a running total. */
export function addUsage(total: Usage | undefined, step: StepUsage | Usage | undefined): Usage | undefined {
  if (!step) return total;
  const input = count(step.inputTokens);
  const output = count(step.outputTokens);
  const base = total ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  return {
    inputTokens: base.inputTokens + input,
    outputTokens: base.outputTokens + output,
    totalTokens: base.totalTokens + input + output,
  };
}
