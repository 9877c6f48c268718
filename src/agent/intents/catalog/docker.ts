import { failure, list, plural } from "../answers.ts";
import { intent, type Outcome } from "../intent.ts";
import { facetAnswer, inspectFacets } from "./inspect-facets.ts";

interface Row {
  name: string;
  host?: string;
  state?: string;
  health?: string;
  status?: string;
}

const containersOf = (o: Outcome | undefined): Row[] =>
  ((o?.output as { containers?: Row[] } | undefined)?.containers ?? []).filter(
    (c) => typeof c.name === "string",
  );
const unhealthy = (rows: Row[]) => rows.filter((c) => c.health === "unhealthy");
const stopped = (rows: Row[]) => rows.filter((c) => c.state && c.state !== "running");
const hostArg = (s: Record<string, unknown>) => (s.host ? { host: s.host } : {});

function overview(rows: Row[]): string {
  const running = rows.filter((c) => c.state === "running");
  const parts = [
    `${plural(rows.length, "container")}, ${running.length} running (${list(
      running.map((c) => c.name),
      12,
    )})`,
  ];
  const sick = unhealthy(rows);
  if (sick.length) parts.push(`unhealthy: ${list(sick.map((c) => c.name))}`);
  const down = stopped(rows);
  if (down.length) parts.push(`not running: ${list(down.map((c) => `${c.name} (${c.state})`))}`);
  return `${parts.join("; ")}.`;
}

/** The last log lines worth quoting: errors first. */
function logGist(output: unknown): string {
  const lines = ((output as { lines?: Array<{ text: string } | string> })?.lines ?? []).map((l) =>
    typeof l === "string" ? l : l.text,
  );
  const errors = lines.filter((l) =>
    /error|fail|fatal|refused|denied|panic|exception|unhealthy|cannot|can.t|unable|permission|not writable|read-only|no space/i.test(
      l,
    ),
  );
  const pick = (errors.length ? errors : lines).slice(-2);
  return pick.length ? pick.map((l) => `"${l.trim().slice(0, 160)}"`).join(" and ") : "no recent log lines";
}

export const dockerIntents = [
  intent({
    name: "docker.unhealthy",
    templates: [
      "(is|are) [there] (anything|any containers|any container|something) (unhealthy|down|broken|failing|sick|wrong) [and why]",
      "(which|what) containers (are|r) (unhealthy|down|broken|failing|not running|stopped) [and why]",
      "(whats|what is) (wrong|broken|down|unhealthy) [with my containers|with the containers|with docker] [and why]",
      "(any|are there any) (unhealthy|broken|failing|stopped|exited|dead) containers [and why]",
      "(are|is) any [of my|of the] containers (stopped|down|unhealthy|broken|failing|exited|dead|crashed) [and why]",
      "(whats|what is) (wrong|broken|failing) (in|with) [my|the] (homelab|lab|setup|servers|server|stack) [and why]",
      "(is|are) (all|everything) [containers] (ok|healthy|fine|up|running)",
      "(check|health check) [my|the|all] containers",
      "(is|are) any container (unhealthy|down|broken|failing|stopped|exited)",
      "any (sick|broken|unhealthy|dead) containers [if so whats wrong with them]",
    ],
    plan: () => [{ tool: "docker_list_containers", args: {} }],
    next: (_s, outcomes) => {
      if (outcomes.length > 1) return undefined;
      const sick = unhealthy(containersOf(outcomes[0]));
      return sick.slice(0, 3).map((c) => ({
        tool: "docker_container_logs",
        args: { container: c.name, tail: 50, ...(c.host ? { host: c.host } : {}) },
      }));
    },
    answer: (_s, outcomes) => {
      const rows = containersOf(outcomes[0]);
      const bad = failure(outcomes.slice(0, 1), "list the containers");
      if (bad) return bad;
      const sick = unhealthy(rows);
      const down = stopped(rows);
      if (!sick.length && !down.length)
        return `All ${plural(rows.length, "container")} are running and none is unhealthy.`;
      const why = outcomes
        .slice(1)
        .map((o) => `${o.args.container}: ${o.error ?? logGist(o.output)}`)
        .join(". ");
      const parts = [];
      if (sick.length) parts.push(`Unhealthy: ${list(sick.map((c) => c.name))}.`);
      if (down.length) parts.push(`Not running: ${list(down.map((c) => `${c.name} (${c.state})`))}.`);
      if (why) parts.push(`Recent logs: ${why}.`);
      return parts.join(" ");
    },
  }),
  intent({
    name: "docker.list",
    templates: [
      "(list|show|show me|get) [me] [all] [the|my] [docker] containers [on {host}]",
      "(whats|what is|what's) running [on {host}]",
      "(which|what) containers (are|r) (running|up|there) [on {host}]",
      "(what|which) containers do i have [on {host}]",
      "containers [on {host}]",
      "(show|list|what is|whats) [me] (everything|all) (docker is running|thats running|running) [on {host}]",
      "(which|what) containers (are|r) (in|part of) [the] {stack} stack",
      "docker ps [on {host}]",
      "(show|list) [me] everything docker is running [on {host}]",
    ],
    slots: { host: "host", stack: "stack" },
    plan: (s) => [
      { tool: "docker_list_containers", args: { ...hostArg(s), ...(s.stack ? { stack: s.stack } : {}) } },
    ],
    answer: (_s, outcomes) => failure(outcomes, "list the containers") ?? overview(containersOf(outcomes[0])),
  }),
  intent({
    name: "docker.stack",
    templates: [
      "(whats|what is|show|list|show me) (in|the containers in|the containers of) [the] {stack} stack",
      "(is|are) [the] {stack} stack (ok|up|running|healthy)",
      "{stack} stack (status|containers)",
    ],
    slots: { stack: "stack" },
    plan: (s) => [{ tool: "docker_list_containers", args: { stack: s.stack } }],
    answer: (s, outcomes) =>
      failure(outcomes, `list the ${s.stack} stack`) ??
      `The ${s.stack} stack: ${overview(containersOf(outcomes[0]))}`,
  }),
  intent({
    name: "docker.stacks",
    templates: [
      "(list|show|show me|what) [are] [the|my] [compose] stacks [on {host}]",
      "(which|what) stacks [do i have|are there|are running]",
      "(which|what) [compose] stacks are (down|stopped|broken|running|up)",
    ],
    slots: { host: "host" },
    plan: (s) => [{ tool: "docker_list_stacks", args: hostArg(s) }],
    answer: (_s, outcomes) => {
      const stacks =
        (outcomes[0]?.output as { stacks?: Array<{ name: string; status?: string }> })?.stacks ?? [];
      return (
        failure(outcomes, "list the stacks") ??
        `${plural(stacks.length, "stack")}: ${list(stacks.map((st) => `${st.name}${st.status ? ` (${st.status})` : ""}`))}.`
      );
    },
  }),
  intent({
    name: "docker.hosts",
    templates: [
      "(list|show|show me|which|what) [are] [the|my] [docker] hosts",
      "(are|is) [the|my] [docker] hosts (up|ok|reachable)",
      "(list|show|which|what) [are] [the|my] [docker] hosts (do you know about|do you know|do you manage|are there)",
      "can you reach [both|all] [the|my] [docker] hosts",
    ],
    plan: () => [{ tool: "docker_list_hosts", args: {} }],
    answer: (_s, outcomes) => {
      const hosts =
        (outcomes[0]?.output as { hosts?: Array<{ name: string; reachable?: boolean }> })?.hosts ?? [];
      const down = hosts.filter((h) => h.reachable === false);
      return (
        failure(outcomes, "list the hosts") ??
        `${plural(hosts.length, "Docker host")}: ${list(hosts.map((h) => h.name))}${down.length ? `; unreachable: ${list(down.map((h) => h.name))}` : ", all reachable"}.`
      );
    },
  }),
  intent({
    name: "docker.status",
    templates: [
      "(how is|hows|status of|what is the status of|whats the status of|check|inspect) [the] {container} [container|doing|running]",
      "(is|are) [the] {container} [container] (ok|up|running|healthy|alive|working|down|broken)",
      "{container} status",
      "where does [the] {container} [container] (keep|store|put) its {facet}",
      "(what|which) {facet} does [the] {container} [container] (use|have|expose|publish|listen on|run)",
      "(what|which) {facet} (is|does) [the] {container} [container] (on|use|using|running|expose|have|run)",
      "(what|which) {container} {facet} (is|does) [the] [container|it] (running|run|use|using|have)",
      "(how many times|how often) did [the] {container} [container] restart [before it gave up]",
      "(what|which) {facet} is [the] {container} [container] (configured|set up|using|pointed at) [to use]",
    ],
    slots: {
      container: "container",
      host: "host",
      facet: { type: "word", values: inspectFacets },
    },
    plan: (s) => [{ tool: "docker_inspect_container", args: { container: s.container, ...hostArg(s) } }],
    answer: (s, outcomes) => {
      const bad = failure(outcomes, `inspect ${s.container}`);
      if (bad) return bad;
      if (typeof s.facet === "string") return facetAnswer(String(s.container), s.facet, outcomes[0]?.output);
      const info = outcomes[0]?.output as
        | {
            state?: { status?: string; exitCode?: number; restartCount?: number };
            health?: { status?: string };
          }
        | undefined;
      const state = info?.state?.status ?? "unknown";
      const health = info?.health?.status && info.health.status !== "none" ? `, ${info.health.status}` : "";
      const exit = state === "exited" ? ` with exit code ${info?.state?.exitCode}` : "";
      const restarts = info?.state?.restartCount
        ? `; restarted ${plural(info.state.restartCount, "time")}`
        : "";
      return `${s.container} is ${state}${exit}${health}${restarts}.`;
    },
  }),
  intent({
    name: "docker.why",
    templates: [
      "why is [the] {container} [container] (unhealthy|down|failing|crashing|broken|not working|restarting|slow|stopped|exited|dead)",
      "whats wrong with [the] {container} [container]",
      "(diagnose|debug|troubleshoot) [the] {container} [container]",
      "why did [the] {container} [container] (stop|die|crash|exit|fail|restart|go down)",
      "[the] {container} [container] (is|seems|keeps) (acting up|broken|down|crashing|failing|unhealthy|stuck|restarting)",
    ],
    slots: { container: "container", host: "host" },
    plan: (s) => [
      { tool: "docker_inspect_container", args: { container: s.container, ...hostArg(s) } },
      { tool: "docker_container_logs", args: { container: s.container, tail: 50, ...hostArg(s) } },
    ],
    answer: (s, outcomes) => {
      const bad = failure(outcomes, `look at ${s.container}`);
      if (bad) return bad;
      const info = outcomes[0]?.output as
        | { state?: { status?: string; exitCode?: number }; health?: { status?: string } }
        | undefined;
      const health =
        info?.health?.status && info.health.status !== "none" ? ` and ${info.health.status}` : "";
      return `${s.container} is ${info?.state?.status ?? "in an unknown state"}${health}. Its recent logs say ${logGist(outcomes[1]?.output)}.`;
    },
  }),
  intent({
    name: "docker.logs",
    templates: [
      "(show|get|read|tail|fetch|check) [me] [the] [last {number}] [lines of] [the] (logs|log) (of|for|from) [the] {container} [container] [(from|for|in|over) the last {since}]",
      "(show|get|read|tail|check) [me] [the] {container} [container] (logs|log) [(from|for|in|over) the last {since}]",
      "{container} (logs|log) [(from|for|in|over) the last {since}]",
      "(any|show|show me|find|are there) errors in [the] {container} [container] (logs|log) [(from|for|in|over) the last {since}]",
      "(what|whats) (did|has) [the] {container} (logged|log|say|said) [(in|over) the last {since}]",
      "(logs|log) (of|for|from) [the] {container} [container] [(from|for|in|over) the last {since}]",
      "(anything|something) (interesting|weird|odd|unusual|wrong|bad) in [the] {container} [container] (output|logs|log) [lately|recently|today]",
      "(check|look at|read|scan) [the] {container} [container] (logs|log|output) for (anything|something) [weird|odd|unusual|interesting|wrong|bad]",
      "(any|are there) errors in [the] {container} [container] (logs|log)",
      "grep [the] {container} [container] (logs|log) for {grep}",
      "what has [the] {container} [container] been (logging|saying|writing)",
      "last {number} lines of [the] {container} [container] (logs|log)",
      "(summarize|summarise) what [the] {container} [container] (logged|has logged|said) [(in|over|during) the last {since}]",
      "(show|get) [me] {container} (logs|log)",
    ],
    slots: { container: "container", number: "number", since: "since", host: "host", grep: "text" },
    plan: (s) => [
      {
        tool: "docker_container_logs",
        args: {
          container: s.container,
          ...(s.number ? { tail: Math.min(5000, Number(s.number)) } : {}),
          ...(s.since ? { since: s.since } : {}),
          ...(s.grep ? { grep: String(s.grep).replace(/s$/, "") } : {}),
          ...hostArg(s),
        },
      },
    ],
    answer: (s, outcomes) => {
      const bad = failure(outcomes, `read the logs of ${s.container}`);
      if (bad) return bad;
      const lines = (outcomes[0]?.output as { lines?: unknown[] })?.lines ?? [];
      return `${plural(lines.length, "log line")} from ${s.container}; the latest worth reading: ${logGist(outcomes[0]?.output)}.`;
    },
  }),
  intent({
    name: "docker.stats",
    templates: [
      "how much (cpu|memory|ram|resources) (is|does) [the] {container} [container] (using|use|take|taking)",
      "(show|get|what is|whats) [the] (resource usage|stats|cpu|memory|cpu and memory usage|memory usage|cpu usage) (of|for) [the] {container} [container]",
      "{container} (stats|resource usage|cpu|memory)",
      "(show|get|what is|whats) [the] (container stats|resource usage|cpu and memory usage|cpu usage|memory usage) [of|for] [all|the|my] [containers]",
      "(which|what) container (is using|uses|is eating) [the] most (cpu|memory|ram)",
      "{container} (is|seems) (acting up|broken|stuck|down|unhealthy|hanging|frozen) (give it a restart|restart it|bounce it|reboot it)",
      "(which|what) container (eats|uses|takes) [the] most (cpu|memory|ram)",
      "resource usage of [the] containers on {host}",
    ],
    slots: { container: "container", host: "host" },
    plan: (s) => [
      {
        tool: "docker_container_stats",
        args: { ...(s.container ? { container: s.container } : {}), ...hostArg(s) },
      },
    ],
    answer: (s, outcomes) => {
      const bad = failure(outcomes, "read the stats");
      if (bad) return bad;
      type Stat = { name?: string; cpuPercent?: number; memory?: { usage?: number; percent?: number } };
      const out = outcomes[0]?.output as Stat & { containers?: Stat[] };
      const rows = out?.containers ?? [out];
      const fmt = (r: Stat) =>
        `${r.name ?? s.container}: CPU ${r.cpuPercent ?? "?"} %, memory ${r.memory?.usage !== undefined ? `${Math.round(r.memory.usage / 1048576)} MiB` : "?"}${r.memory?.percent !== undefined ? ` (${r.memory.percent} %)` : ""}`;
      const top = [...rows].sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0)).slice(0, 5);
      return `${top.map(fmt).join("; ")}.`;
    },
  }),
  ...(["start", "stop", "restart"] as const).map((verb) =>
    intent({
      name: `docker.${verb}`,
      templates:
        verb === "restart"
          ? [
              "(restart|reboot|bounce|kick|reload|cycle|recycle) [the] {container} [container|service|again] [on {host}] [please|now]",
              "[please|can you|could you] (restart|reboot|bounce|kick) [the] {container} [container|service] [on {host}] [please|now]",
              "give [the] {container} [container] a (restart|kick)",
            ]
          : verb === "start"
            ? [
                "[please|can you] (start|launch|bring up|spin up|boot|fire up|run) [the] {container} [container|service] [again|back up] [on {host}] [please|now]",
                "bring [the] {container} [container] back [up|online]",
              ]
            : [
                "[please|can you] (stop|halt|shut down|shutdown|kill|turn off) [the] {container} [container|service] [on {host}] [please|now]",
                "(take|bring) [the] {container} [container] down",
                "would you mind stopping [the] {container} [container]",
              ],
      slots: { container: "container", host: "host" },
      plan: (s) => [{ tool: `docker_${verb}_container`, args: { container: s.container, ...hostArg(s) } }],
      answer: (s, outcomes) => {
        const bad = failure(outcomes, `${verb} ${s.container}`);
        if (bad) return bad;
        const out = outcomes[0]?.output as { changed?: boolean; state?: string; health?: string } | undefined;
        const past = { start: "Started", stop: "Stopped", restart: "Restarted" }[verb];
        if (out?.changed === false)
          return `${s.container} was already ${out.state ?? "there"}; nothing changed.`;
        return `${past} ${s.container}; it is ${out?.state ?? "done"}${out?.health && out.health !== "none" ? ` (${out.health})` : ""}.`;
      },
    }),
  ),
  intent({
    name: "docker.remove",
    templates: [
      "(remove|delete|destroy|rm|get rid of) [the] [container] {container} [container] [on {host}]",
    ],
    slots: { container: "container", host: "host" },
    plan: (s) => [{ tool: "docker_remove_container", args: { container: s.container, ...hostArg(s) } }],
    answer: (s, outcomes) => failure(outcomes, `remove ${s.container}`) ?? `Removed ${s.container}.`,
  }),
  intent({
    name: "docker.prune",
    templates: [
      "(prune|clean up|cleanup|clear|delete|remove|wipe|purge|get rid of) [all|every] [the] [unused|dangling|old|stopped] [docker] {what} [on {host}]",
      "docker (prune|system prune) [{what}]",
    ],
    slots: {
      what: {
        type: "word",
        values: {
          images: "images",
          image: "images",
          containers: "containers",
          "stopped containers": "containers",
          "stopped container": "containers",
          "exited containers": "containers",
          "exited container": "containers",
          volumes: "volumes",
          volume: "volumes",
          networks: "networks",
          "build cache": "build_cache",
          cache: "build_cache",
        },
      },
      host: "host",
    },
    plan: (s) => [{ tool: "docker_prune", args: { what: s.what ?? "containers", ...hostArg(s) } }],
    answer: (s, outcomes) => {
      const bad = failure(outcomes, `prune ${s.what}`);
      if (bad) return bad;
      const out = outcomes[0]?.output as { spaceReclaimed?: number; removed?: unknown[] } | undefined;
      return `Pruned ${s.what}: ${out?.removed?.length ?? 0} removed, ${Math.round((out?.spaceReclaimed ?? 0) / 1048576)} MiB reclaimed.`;
    },
  }),
];
