import type { Context } from "hono";

/** Each handed-out signal keeps its Request alive for as long as the signal itself is held. */
const held = new WeakMap<AbortSignal, Request>();

/**
 * The signal that aborts when the client goes away, safe to hold after the handler returned (a
 * streamed run, an event stream). A Request built with a caller's signal (`new Request(url,
 * { signal })`, as Hono's `app.request` and its Node adapter do) follows that signal only while
 * the Request object lives: undici links them through a WeakRef. Holding the bare `signal` alone
 * let the Request be collected, and the client's abort never arrived, so a run went on with
 * nobody listening. Here the signal holds its Request.
 */
export function clientSignal(c: Context): AbortSignal {
  const request = c.req.raw;
  held.set(request.signal, request);
  return request.signal;
}
