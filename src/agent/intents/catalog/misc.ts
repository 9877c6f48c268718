import { bytes, duration, failure, itemsOf, label, list, summarize } from "../answers.ts";
import { intent } from "../intent.ts";
import { incidentDetail, incidentList } from "./incident-report.ts";

export const memoryIntents = [
  intent({
    name: "memory.remember",
    templates: [
      "remember [that] {text}",
      "(note|keep in mind|dont forget) [that] {text}",
      "(make|take) a note [that] {text}",
      "(note down|write down) [that] {text}",
    ],
    slots: { text: "text" },
    plan: (s) => [{ tool: "memory_remember", args: { text: s.text } }],
    answer: (_s, o) => failure(o, "remember that") ?? "Got it, I will remember that.",
  }),
  intent({
    name: "memory.recall",
    templates: [
      "what do you (know|remember) about {query}",
      "(do you remember|what did i tell you about) {query}",
      "(recall|search memory for) {query}",
      "i told you {query}",
      "(where|what|when) (was|is|did) {query} again",
      "(whats|what is|what are) my (rule|rules|preference|preferences|policy|note|notes) (about|for|on) {query}",
      "(how|when|where) do i (like|want|prefer) {query}",
    ],
    slots: { query: "text" },
    plan: (s) => [{ tool: "memory_recall", args: { query: s.query } }],
    answer: (s, o) => {
      const bad = failure(o, "search my memory");
      if (bad) return bad;
      const items = itemsOf(o[0]?.output);
      return items.length
        ? `About ${s.query}: ${list(
            items.map((m) => String(m.text ?? label(m))),
            5,
          )}.`
        : `I have nothing about ${s.query}.`;
    },
  }),
  intent({
    name: "memory.forget",
    templates: ["forget [memory] {id}", "(delete|remove|drop) [the] memory {id}"],
    slots: { id: "id" },
    plan: (s) => [{ tool: "memory_forget", args: { id: String(s.id).toLowerCase() } }],
    answer: (_s, o) => failure(o, "forget that") ?? "Forgotten.",
  }),
];

export const deployIntents = [
  intent({
    name: "deploy.templates",
    templates: [
      "(list|show|which|what) [are] [the] [deploy|deployment|app] templates [are there|do you have]",
      "what (can|could) you deploy",
      "what apps can i deploy",
      "(what|which) [one-click|one click] (apps|templates) (are available|can i deploy|can you deploy|do you have|are there)",
      "what (can|could) you deploy for me",
    ],
    plan: () => [{ tool: "deploy_list_templates", args: {} }],
    answer: (_s, o) =>
      failure(o, "list the templates") ?? `Templates: ${summarize(o[0]?.output, "template")}`,
  }),
  intent({
    name: "deploy.apps",
    templates: [
      "(list|show|which|what) [are] [the] (apps|deployments|deployed apps) [did you deploy|have you deployed|are deployed]",
      "what (did you|have you) (deploy|deployed) [so far|already|yet|for me]",
      "(which|what) [of the] (apps|deployments|deployed apps) are backed up",
      "(is|are) [the] (apps|deployments|deployed apps) backed up",
    ],
    plan: () => [{ tool: "deploy_list_apps", args: {} }],
    answer: (_s, o) => failure(o, "list the deployed apps") ?? `Deployed: ${summarize(o[0]?.output, "app")}`,
  }),
  intent({
    name: "deploy.app",
    templates: [
      "(deploy|spin up|create|install|set up|launch) [a|an|new|fresh] [new|fresh] {template} [database|instance|server|container] (called|named) {name}",
      "(deploy|spin up|create|install|set up|launch) [a|an|new|fresh] [new|fresh] {template} [database|instance|server|container] for [the] {name} [app]",
      "(deploy|spin up|create|install|set up|launch) [a|an|new|fresh] [new|fresh] {template} [database|instance|server|container]",
      "(deploy|spin up|create|install|set up|launch) [a|an|new|fresh] [new|fresh] {template} [database|instance|server|container] for {other} (and call it|called|named) {name}",
    ],
    slots: { template: "template", name: "identifier", other: "text" },
    plan: (s) => [
      {
        tool: "deploy_app",
        args: {
          template: s.template,
          name: String(s.name ?? `${s.template}-1`)
            .replace(/\s+/g, "-")
            .toLowerCase(),
        },
      },
    ],
    answer: (s, o) => failure(o, `deploy ${s.template}`) ?? `Deployed ${s.template} as ${o[0]?.args.name}.`,
  }),
  intent({
    name: "deploy.plan",
    templates: [
      "(what would|show me what) (deploying|a deploy of) [a|an] {template} [database|instance] (called|named) {name} (create|do)",
      "(plan|preview) [a|an] [new] {template} [database|instance] [deploy|deployment] (called|named) {name}",
    ],
    slots: { template: "template", name: "text" },
    plan: (s) => [
      {
        tool: "deploy_plan_app",
        args: { template: s.template, name: String(s.name).replace(/\s+/g, "-").toLowerCase() },
      },
    ],
    answer: (s, o) => failure(o, `plan ${s.template}`) ?? summarize(o[0]?.output),
  }),
  intent({
    name: "deploy.remove",
    templates: ["(remove|delete|tear down|undeploy|destroy) [the] [app|deployment] {app} [app|deployment]"],
    slots: { app: "app" },
    plan: (s, _ctx) => [{ tool: "deploy_remove_app", args: { name: s.app } }],
    answer: (s, o) => failure(o, `remove ${s.app}`) ?? `Removed ${s.app} (its data volumes were kept).`,
  }),
  intent({
    name: "deploy.remove_keep",
    templates: ["(remove|delete|tear down|undeploy) [the] {app} [app] but keep (its|the) data"],
    slots: { app: "app" },
    plan: (s) => [{ tool: "deploy_remove_app", args: { name: s.app, keep_data: true } }],
    answer: (s, o) => failure(o, `remove ${s.app}`) ?? `Removed ${s.app}; its data volumes were kept.`,
  }),
  intent({
    name: "deploy.remove_data",
    templates: [
      "(remove|delete|tear down|undeploy|destroy) [the] {app} [app] and (all|all of) (its|the) data",
      "(remove|delete|tear down|undeploy|destroy) [the] {app} [app] (with|including) (its|the) data",
    ],
    slots: { app: "app" },
    plan: (s) => [{ tool: "deploy_remove_app", args: { name: s.app, keep_data: false } }],
    answer: (s, o) => failure(o, `remove ${s.app}`) ?? `Removed ${s.app} and its data volumes.`,
  }),
  intent({
    name: "deploy.remove_data_backup_first",
    templates: [
      "(back up|backup) [the] {app} [app] [first] [and] [then] (remove|delete|tear down|undeploy|destroy) it [and|with] [all] [of] (its|the) data",
      "(remove|delete|tear down|undeploy|destroy) [the] {app} [app] and (all|all of) (its|the) data [but] (back it up|after a backup) first",
    ],
    slots: { app: "app" },
    plan: (s) => [{ tool: "deploy_remove_app", args: { name: s.app, keep_data: false, backup_first: true } }],
    answer: (s, o) =>
      failure(o, `back up and remove ${s.app}`) ??
      `Backed up ${s.app}, then removed it and its data volumes.`,
  }),
];

export const systemIntents = [
  intent({
    name: "system.info",
    templates: [
      "(show|get|whats|what is) [the] (system info|system information|server info|uptime|load)",
      "how is [the] (server|system|host) doing",
      "hows [the] (server|system|host|box|machine) doing",
      "how long has [the] {host} been (up|running)",
      "how much (ram|memory|cpu|disk) does [the] (server|{host}|machine|box) have",
      "(whats|what is) the uptime (of|on) [the] {host}",
      "(whats|what is) the load [average] [on|of] [the] (server|{host}|machine|box|system)",
      "how (hot|warm) is the (cpu|processor|server|machine|box) [running]",
      "(whats|what is) the (cpu|processor|server) (temperature|temp)",
      "(which|what) kernel is [the] (server|{host}|machine|box|system) (on|running)",
      "how long since [the] (server|{host}|machine|box|system) was [last] (rebooted|restarted|booted)",
      "how much (memory|ram) is [the] (server|{host}|machine|box|system) using",
    ],
    slots: { host: "host" },
    plan: (s) => [{ tool: "system_info", args: s.host ? { host: s.host } : {} }],
    answer: (_s, o) => failure(o, "read the system info") ?? describeHost(o[0]?.output),
  }),
  intent({
    name: "incidents.list",
    templates: [
      "[hey] [jarvis] (list|show|any|are there any) [open|recent|current] incidents [open]",
      "is anything (critical|broken|wrong|on fire) [going on] [right now]",
      "(whats|what is|what has been) (broken|wrong|going on) (lately|recently|today)",
      "(list|show) [me] [the] {status} incidents",
      "(list|show) [me] {status} (incident|incidents) [including the closed ones|even the closed ones]",
    ],
    slots: {
      status: {
        type: "word",
        values: {
          open: "open",
          resolved: "resolved",
          closed: "resolved",
          escalated: "escalated",
          acknowledged: "acknowledged",
          active: "open",
          every: "all",
          all: "all",
        },
      },
    },
    plan: (s) => [{ tool: "incidents_list", args: s.status ? { status: s.status } : {} }],
    answer: (_s, o) => {
      const bad = failure(o, "list the incidents");
      if (bad) return bad;
      return incidentList(o[0]?.output);
    },
  }),
  intent({
    name: "incidents.get",
    templates: [
      "(show|get|open|details of|what happened (in|with|to|during)) [the] [incident] {id}",
      "tell me [more] about [the] [incident] {id}",
      "what (is|was) [the] [incident] {id} [about]",
      "(whats|what is) [the] (status|story) of [the] [incident] {id}",
    ],
    slots: { id: "id" },
    plan: (s) => [{ tool: "incident_get", args: { id: String(s.id) } }],
    answer: (_s, o) => failure(o, "read the incident") ?? incidentDetail(o[0]?.output),
  }),
];

/** One spoken-length line from system_info: what runs, how long, how busy, how full, how hot. */
function describeHost(output: unknown): string {
  if (typeof output !== "object" || output === null) return summarize(output);
  const o = output as {
    host?: string;
    os?: string | null;
    kernel?: string | null;
    uptimeSeconds?: number | null;
    cpu?: { model?: string | null; threads?: number | null };
    load?: number[] | null;
    memory?: { totalBytes: number; usedBytes?: number } | null;
    swap?: { totalBytes: number; usedBytes: number } | null;
    temperaturesC?: Record<string, number>;
    note?: string;
  };
  const parts = [
    [o.os, o.kernel && `kernel ${o.kernel}`].filter(Boolean).join(", "),
    o.uptimeSeconds != null ? `up ${duration(o.uptimeSeconds)}` : "",
    o.load
      ? `load ${o.load.map((n) => n.toFixed(2)).join(" / ")}${o.cpu?.threads ? ` on ${o.cpu.threads} threads` : ""}`
      : "",
    o.memory
      ? o.memory.usedBytes !== undefined
        ? `memory ${bytes(o.memory.usedBytes)} of ${bytes(o.memory.totalBytes)} used`
        : `memory ${bytes(o.memory.totalBytes)}`
      : "",
    o.swap?.totalBytes ? `swap ${bytes(o.swap.usedBytes)} of ${bytes(o.swap.totalBytes)}` : "",
    Object.keys(o.temperaturesC ?? {}).length
      ? `temperatures ${Object.entries(o.temperaturesC!)
          .slice(0, 4)
          .map(([k, v]) => `${k} ${Math.round(v)}°C`)
          .join(", ")}`
      : "",
  ].filter(Boolean);
  return `${o.host ?? "This host"}: ${parts.join("; ")}.${o.note ? ` ${o.note}` : ""}`;
}
