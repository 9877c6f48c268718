/** The console's views, addressed by the URL hash so a reload or a shared link lands in place. */
export type Route =
  | { view: "chat"; conversationId?: string }
  | { view: "approvals" }
  | { view: "incidents"; incidentId?: string }
  | { view: "memory" }
  | { view: "backups" }
  | { view: "jobs" };

/** Parses `#/chat/<id>`, `#/approvals`, `#/incidents[/<id>]`, `#/memory`, `#/backups`, `#/jobs`; anything else is a new chat. */
export function parseRoute(hash: string): Route {
  const [, view, id] = hash.replace(/^#/, "").split("/");
  if (view === "incidents")
    return { view, incidentId: id && /^[0-9a-f-]{36}$/i.test(id) ? id.toLowerCase() : undefined };
  if (view === "approvals" || view === "memory" || view === "backups" || view === "jobs") return { view };
  return { view: "chat", conversationId: id && /^[\w-]+$/.test(id) ? id : undefined };
}

/** The current route, updated on hashchange. */
export function createRouter() {
  let route = $state(parseRoute(location.hash));
  window.addEventListener("hashchange", () => {
    route = parseRoute(location.hash);
  });
  return {
    get route() {
      return route;
    },
    go(hash: string) {
      if (location.hash !== hash) location.hash = hash;
      route = parseRoute(hash);
    },
  };
}
