import type { Context } from "hono";
import type { z } from "zod";
import { JarvisError } from "../errors.ts";
import { inputError } from "../tools/input-error.ts";

/** Reads a JSON body; an empty body is `{}`; malformed JSON is a 400 that says so. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new JarvisError("invalid_input", "The request body is not valid JSON");
  }
}

/** Reads and validates a JSON body against a schema. */
export async function parseBody<T>(c: Context, schema: z.ZodType<T>, what: string): Promise<T> {
  const result = schema.safeParse(await jsonBody(c));
  if (!result.success) throw inputError(what, result.error);
  return result.data;
}
