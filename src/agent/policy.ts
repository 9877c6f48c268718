import type { PolicyRule, Source } from "../config.ts";
import type { Risk } from "../tools/define-tool.ts";

export type Decision = "allow" | "ask" | "deny";

/** A time-limited allow an approver granted; it outranks `ask` but never `deny`. */
export interface Grant {
  tool: string;
  target?: string | null;
  source?: string | null;
}

export interface PolicyQuery {
  tool: string;
  target?: string;
  /**
   * The members when the call acts on a set (three lights; `target` is then them joined with
   * commas): each member is decided as if acted on alone, so a set is never less gated than one.
   */
  targets?: readonly string[];
  source: Source;
  risk: Risk;
}

export interface PolicyDecision {
  decision: Decision;
  /** Which rule decided, for audit and for the message a caller sees. */
  reason: string;
}

const cache = new Map<string, RegExp>();

/** `*` matches any run of characters, `?` one character; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

/**
 * Targets are hierarchical (`local/plex`). A pattern with a `/` matches the whole target; a
 * pattern without one matches its last segment, so `plex` means "plex on any host".
 */
export function targetMatches(pattern: string, target: string | undefined): boolean {
  if (target === undefined) return false;
  const subject = pattern.includes("/") ? target : target.slice(target.lastIndexOf("/") + 1);
  return globToRegExp(pattern).test(subject);
}

function matches(
  rule: { tool: string; target?: string | null; source?: string | null },
  query: PolicyQuery,
): boolean {
  if (!globToRegExp(rule.tool).test(query.tool)) return false;
  if (rule.source && rule.source !== query.source) return false;
  if (rule.target && !targetMatches(rule.target, query.target)) return false;
  return true;
}

const defaults: Record<Risk, Decision> = { read: "allow", write: "ask", destructive: "ask" };

/**
 * Built-in rules, below every configured rule and grant (a matching user rule always decides):
 * remembering needs no approval (the memory guard refuses secrets); editing and deleting a
 * memory from the API (the UI's memory editor) needs none, from a conversation it asks.
 */
export const builtinRules: readonly PolicyRule[] = [
  { tool: "memory_remember", action: "allow" },
  { tool: "memory_update", source: "api", action: "allow" },
  { tool: "memory_forget", source: "api", action: "allow" },
];

const strictness: Record<Decision, number> = { allow: 0, ask: 1, deny: 2 };

/**
 * Evaluates the rules for one call. Deny wins over everything; an approver's grant beats ask;
 * ask beats allow. With no matching rule: the built-in rules, then read → allow, write → ask,
 * destructive → ask.
 *
 * A call on a set of targets is decided member by member and the strictest decision wins: a rule
 * denying `light.bedroom` denies "all the lights", and an allow or a grant must cover every member.
 * A grant given on an earlier set covers each of its members. A destructive call on a set is never
 * allowed automatically (unlocking every lock, opening every cover): it always asks, unless denied.
 */
export function evaluatePolicy(
  rules: readonly PolicyRule[],
  grants: readonly Grant[],
  query: PolicyQuery,
): PolicyDecision {
  if (!query.targets?.length) return evaluateOne(rules, grants, query);
  const memberGrants = grants.flatMap((g) =>
    g.target?.includes(",") ? g.target.split(",").map((target) => ({ ...g, target })) : [g],
  );
  let strictest: (PolicyDecision & { member: string }) | undefined;
  for (const member of query.targets) {
    const verdict = evaluateOne(rules, memberGrants, { ...query, target: member, targets: undefined });
    if (!strictest || strictness[verdict.decision] > strictness[strictest.decision])
      strictest = { ...verdict, member };
  }
  const { decision, reason, member } = strictest!;
  const on = `${reason}, for ${member} of ${query.targets.length} targets`;
  if (decision === "allow" && query.risk === "destructive") {
    return {
      decision: "ask",
      reason: `a destructive call on a set of ${query.targets.length} targets always asks (${on})`,
    };
  }
  return { decision, reason: on };
}

function evaluateOne(
  rules: readonly PolicyRule[],
  grants: readonly Grant[],
  query: PolicyQuery,
): PolicyDecision {
  const hit = rules.filter((rule) => matches(rule, query));
  const describe = (rule: PolicyRule) =>
    `rule {tool: ${rule.tool}${rule.target ? `, target: ${rule.target}` : ""}${rule.source ? `, source: ${rule.source}` : ""}, action: ${rule.action}}`;
  const deny = hit.find((rule) => rule.action === "deny");
  if (deny) return { decision: "deny", reason: describe(deny) };
  const grant = grants.find((g) => matches(g, query));
  if (grant)
    return {
      decision: "allow",
      reason: `grant for ${grant.tool}${grant.target ? ` on ${grant.target}` : ""}`,
    };
  const ask = hit.find((rule) => rule.action === "ask");
  if (ask) return { decision: "ask", reason: describe(ask) };
  const allow = hit.find((rule) => rule.action === "allow");
  if (allow) return { decision: "allow", reason: describe(allow) };
  const builtin = builtinRules.find((rule) => matches(rule, query));
  if (builtin) return { decision: builtin.action, reason: `built-in ${describe(builtin)}` };
  return { decision: defaults[query.risk], reason: `default for ${query.risk} tools` };
}
