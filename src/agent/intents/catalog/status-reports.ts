import { bytes, itemsOf } from "../answers.ts";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A spoken NAS status from nas_status (reachability, disk shares, capacity per share), or one
 * share's when `share` is given. `unseen` names what was asked that the tool cannot see (disk
 * temperatures, SMART), said first and plainly instead of guessed.
 */
export function nasReport(output: unknown, asked: { unseen?: string; share?: string } = {}): string {
  const { unseen } = asked;
  const caveat = unseen
    ? `I can't see ${unseen}: the NAS tool only sees whether the NAS answers over SMB and how full its shares are. `
    : "";
  if (!isRecord(output)) return `${caveat}The NAS sent no status.`;
  const name = typeof output.nas === "string" ? output.nas : "The NAS";
  if (output.reachable === false)
    return `${caveat}${name} is not answering${output.error ? `: ${String(output.error)}` : ""}.`;
  const all = itemsOf(output);
  const shares = asked.share ? all.filter((s) => s.name === asked.share) : all;
  if (shares.length === 0)
    return asked.share
      ? `${caveat}${name} is up, but it shows no disk share called ${asked.share}.`
      : `${caveat}${name} is up and answering over SMB; it shows no disk shares.`;
  const capacity = (share: Record<string, unknown>) => {
    const size = typeof share.sizeBytes === "number" ? share.sizeBytes : undefined;
    const free = typeof share.freeBytes === "number" ? share.freeBytes : undefined;
    if (size === undefined || free === undefined) return "capacity unknown";
    const used = typeof share.usedPercent === "number" ? `${share.usedPercent} % used, ` : "";
    return `${used}${bytes(free)} free of ${bytes(size)}`;
  };
  if (asked.share) return `${caveat}The ${asked.share} share on ${name}: ${capacity(shares[0]!)}.`;
  const parts = shares.map((share) => `${String(share.name)} ${capacity(share)}`);
  return `${caveat}${name} is up and answering over SMB. Shares: ${parts.join("; ")}.`;
}

/**
 * A spoken Sunshine status from sunshine_status: online, streaming or idle, version. GameStream
 * names the running app only by id, so the answer says the id rather than inventing a name;
 * `unseen` names what was asked that Sunshine does not report (resolution, frame rate).
 */
export function sunshineReport(output: unknown, unseen?: string): string {
  const caveat = unseen ? `Sunshine does not report ${unseen}. ` : "";
  if (!isRecord(output)) return `${caveat}Sunshine sent no status.`;
  const host = typeof output.host === "string" ? output.host : "the Sunshine host";
  const version = typeof output.version === "string" ? ` (Sunshine ${output.version})` : "";
  if (output.online === false) return `${caveat}${host} is offline${version}.`;
  const streaming = isRecord(output.streaming) ? output.streaming : undefined;
  const what = streaming
    ? `is online and streaming: app ${String(streaming.appId ?? "unknown")} is running`
    : "is online and idle: nothing is streaming";
  return `${caveat}${host} ${what}${version}.`;
}
