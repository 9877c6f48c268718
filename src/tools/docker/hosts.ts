import { JarvisError, toJarvisError } from "../../errors.ts";
import type { DockerClients, DockerHost } from "./client.ts";
import { onHost } from "./docker-error.ts";

/** A host that could not answer, reported next to the results of the hosts that could. */
export interface HostError {
  host: string;
  message: string;
}

export interface FanOut<T> {
  results: Array<{ host: DockerHost; value: T }>;
  errors: HostError[];
}

/**
 * Runs `request` on one named host (its failure is the call's failure) or, with no host named, on
 * every configured host in parallel: a host that is down becomes an entry in `errors` instead of
 * failing a question the other hosts can answer.
 */
export async function onHosts<T>(
  clients: DockerClients,
  host: string | undefined,
  signal: AbortSignal,
  request: (host: DockerHost, signal: AbortSignal) => Promise<T>,
): Promise<FanOut<T>> {
  if (host !== undefined) {
    const one = clients.get(host);
    return { results: [{ host: one, value: await onHost(one, signal, (s) => request(one, s)) }], errors: [] };
  }
  const settled = await Promise.allSettled(clients.hosts.map((h) => onHost(h, signal, (s) => request(h, s))));
  const out: FanOut<T> = { results: [], errors: [] };
  settled.forEach((outcome, index) => {
    const h = clients.hosts[index]!;
    if (outcome.status === "fulfilled") out.results.push({ host: h, value: outcome.value });
    else out.errors.push({ host: h.name, message: toJarvisError(outcome.reason).message });
  });
  // The caller's own cancellation is not a host problem: surface it as the call's failure.
  if (signal.aborted) throw new JarvisError("aborted", "The request was cancelled");
  return out;
}
