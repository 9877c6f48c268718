/** Small display helpers shared by the tool cards and the approvals inbox. */

/** The thing a call acts on, from its arguments, when the server did not name it. */
export function targetOf(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  const args = input as Record<string, unknown>;
  const name = args.container ?? args.entity_id ?? args.name ?? args.job ?? args.path ?? args.share;
  const host = typeof args.host === "string" ? `${args.host}/` : "";
  return typeof name === "string" ? `${host}${name}` : host.replace(/\/$/, "");
}

/** A one-line summary of a tool result. */
export function summarize(output: unknown): string {
  if (output === undefined || output === null) return "no result";
  if (Array.isArray(output)) return `${output.length} item${output.length === 1 ? "" : "s"}`;
  if (typeof output === "object") {
    const record = output as Record<string, unknown>;
    if (typeof record.message === "string") return record.message;
    for (const [key, value] of Object.entries(record))
      if (Array.isArray(value)) return `${value.length} ${key}`;
    if (record.changed === true) return "changed";
    if (record.changed === false) return "no change needed";
    const keys = Object.keys(record);
    return keys.length ? keys.slice(0, 4).join(", ") : "empty";
  }
  const text = String(output);
  return text.length > 100 ? `${text.slice(0, 97)}…` : text;
}

/** Arguments as compact `key=value` pairs. */
export function argsLine(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  return Object.entries(input as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

export const ms = (n: number) => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);

export const when = (iso: string) => new Date(iso).toLocaleString();

/** How long ago, in the largest whole unit ("just now", "5 min ago", "3 h ago", "2 d ago"). */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** A byte count in binary units ("512 B", "48.0 MiB"). */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

/** A duration in seconds as "45 s", "3 min 5 s", "2 h 10 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
