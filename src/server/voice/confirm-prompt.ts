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
    action = `${verb}${args.entity_id ? ` the ${thing(args.entity_id)}` : ""}`;
  } else {
    const verb = (title ?? words(approval.tool)).split(" ")[0]!;
    const target = approval.target ? thing(approval.target) : "";
    action = `${verb}${target ? ` ${target}` : ` ${words(approval.tool)}`}`;
  }
  const sentence = action.charAt(0).toUpperCase() + action.slice(1).toLowerCase();
  return `${sentence}? Say confirm.`;
}
