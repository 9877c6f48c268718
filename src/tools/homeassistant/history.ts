import { z } from "zod";
import { JarvisError } from "../../errors.ts";
import type { Secret } from "../../secret.ts";

/** One state of an entity and when it began. */
export const StateChange = z.object({ state: z.string(), last_changed: z.string() });
export type StateChange = z.infer<typeof StateChange>;

/** `GET /api/history/period/<start>`: one array per entity; with minimal_response only the first item is full. */
const HistoryResponse = z.array(z.array(z.object({ state: z.string(), last_changed: z.string() }).loose()));

/**
 * Reads an entity's state changes over the last `hours` from Home Assistant's REST history API
 * (https://developers.home-assistant.io/docs/api/rest, `/api/history/period/<timestamp>`), the
 * first item being the state the period started in.
 */
export async function fetchHistory(
  http: { base: string; token: Secret; fetch: typeof fetch },
  entityId: string,
  hours: number,
  signal?: AbortSignal,
): Promise<StateChange[]> {
  const end = new Date();
  const start = new Date(end.getTime() - hours * 3_600_000);
  const url =
    `${http.base}/api/history/period/${encodeURIComponent(start.toISOString())}` +
    `?filter_entity_id=${encodeURIComponent(entityId)}&end_time=${encodeURIComponent(end.toISOString())}` +
    "&minimal_response&no_attributes";
  let response: Response;
  try {
    response = await http.fetch(url, { headers: { authorization: `Bearer ${http.token.reveal()}` }, signal });
  } catch (error) {
    throw new JarvisError("unavailable", `Cannot reach Home Assistant at ${http.base} for history`, {
      cause: error,
    });
  }
  if (response.status === 401) {
    throw new JarvisError("unauthorized", "Home Assistant refused the token for history; check HA_TOKEN");
  }
  if (!response.ok) {
    throw new JarvisError("tool_failed", `Home Assistant history answered HTTP ${response.status}`);
  }
  const parsed = HistoryResponse.safeParse(await response.json());
  if (!parsed.success)
    throw new JarvisError("tool_failed", "Home Assistant history answered in an unknown format");
  return (parsed.data[0] ?? []).map((c) => ({ state: c.state, last_changed: c.last_changed }));
}
