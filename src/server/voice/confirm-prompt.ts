/** Did the call pick its entities itself ("all", an area), so that only the target names them? */
const picked = (args: Record<string, unknown>, target: string | null) =>
  Boolean(target?.includes(".")) && (args.entity_id === "all" || typeof args.area === "string");

/** "all 3 lights: bedroom, kitchen and living room", "the front door" from a target list. */
function members(target: string): string {
  const ids = target.split(",");
  const names = ids.map((id) => id.slice(id.indexOf(".") + 1).replace(/_/g, " "));
  if (names.length === 1) return `the ${names[0]}`;
  const domain = ids[0]!.slice(0, ids[0]!.indexOf(".")).replace(/_/g, " ");
  const kind = /(s|sh|ch|x)$/.test(domain) ? `${domain}es` : `${domain}s`;
  return `all ${names.length} ${kind}: ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** What Jarvis says when a spoken command waits for approval: "Restart plex? Say confirm." */
export function confirmPrompt(
  approval: { tool: string; target: string | null; args: unknown },
  title: string | undefined,
): string {
  const args = (approval.args ?? {}) as Record<string, unknown>;
  const words = (s: string) => s.replace(/[._]/g, " ").trim();
  const thing = (value: unknown) =>
    [value]
      .flat()
      .map((v) => words(String(v).split(/[./]/).at(-1) ?? String(v)))
      .join(" and ");
  let action: string;
  if (typeof args.service === "string") {
    // "open_cover" is said "open"; "alarm_disarm" is said "disarm".
    const verb = words(args.service)
      .replace(/ cover( tilt)?$/, "")
      .replace(/^alarm /, "");
    action = `${verb}${
      picked(args, approval.target)
        ? ` ${members(approval.target!)}`
        : args.entity_id
          ? ` the ${thing(args.entity_id)}`
          : ""
    }`;
  } else {
    const verb = (title ?? words(approval.tool)).split(" ")[0]!;
    const target = approval.target ? thing(approval.target) : "";
    action = `${verb}${target ? ` ${target}` : ` ${words(approval.tool)}`}`;
  }
  const sentence = action.charAt(0).toUpperCase() + action.slice(1).toLowerCase();
  return `${sentence}? Say confirm.`;
}
