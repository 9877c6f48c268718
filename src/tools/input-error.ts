import type { z } from "zod";
import { JarvisError } from "../errors.ts";

/**
 * Turns a zod error into one message a person or a model can act on: each wrong field, what is
 * wrong with it, and what the tool accepts.
 */
export function inputError(tool: string, error: z.ZodError): JarvisError {
  const problems = error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join(".") : "(input)";
    return { field, message: issue.message };
  });
  const text = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  return new JarvisError("invalid_input", `Invalid input for ${tool}: ${text}`, { details: { problems } });
}
