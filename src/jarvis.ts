import { createAgent } from "./agent/agent.ts";
import { type ApprovalView, createApprovals, viewApproval } from "./agent/approvals.ts";
import { createAuditLog } from "./agent/audit.ts";
import { createConversations } from "./agent/conversations.ts";
import { createDecideApproval } from "./agent/decide-approval.ts";
import type { InventorySource } from "./agent/intents/inventory.ts";
import { createLiveInventory } from "./agent/intents/live-inventory.ts";
import { createModel } from "./agent/models.ts";
import { loadPrompts } from "./agent/prompts.ts";
import { createRecalledContext } from "./agent/recalled-context.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import type { EventBus } from "./events/bus.ts";
import { approvalsChannel } from "./events/channels.ts";
import { createClaim } from "./events/claims.ts";
import { createEventBus } from "./events/create-bus.ts";
import { createRunProgram } from "./exec/run-program.ts";
import { createDiagnose } from "./incidents/diagnose.ts";
import { createIncidentMemory } from "./incidents/incident-memory.ts";
import { createIncidents } from "./incidents/incidents.ts";
import type { IncidentMemory } from "./incidents/memory.ts";
import { defineRemediationJob, dispatchRemediation } from "./incidents/remediation-job.ts";
import { loadRunbooks, shippedRunbooksDir } from "./incidents/runbook.ts";
import { createIncidentStore } from "./incidents/store.ts";
import { createInstances } from "./instances.ts";
import { createJobs } from "./jobs/index.ts";
import type { Logger } from "./log.ts";
import { createEmbedder } from "./memory/embedders/index.ts";
import { createMemoryGuard } from "./memory/guard.ts";
import { enqueueReembedding } from "./memory/reembed-job.ts";
import { createMemoryStore } from "./memory/store.ts";
import { connectRedis, type Redis } from "./redis/connect.ts";
import { loadSecretKey } from "./secrets/key.ts";
import { createSecretStore } from "./secrets/store.ts";
import { createSessions } from "./server/sessions.ts";
import { createTokens } from "./server/tokens.ts";
import { createBackups } from "./tools/backups/create.ts";
import { backupTools } from "./tools/backups/index.ts";
import type { Clients } from "./tools/clients.ts";
import type { Principal, Tool } from "./tools/define-tool.ts";
import { createDeployClient } from "./tools/deploy/client.ts";
import { deployTools } from "./tools/deploy/index.ts";
import { createDockerClients } from "./tools/docker/client.ts";
import { dockerTools } from "./tools/docker/index.ts";
import { createGoogleClient } from "./tools/google/client.ts";
import { googleTools } from "./tools/google/index.ts";
import { createApprovalNotifier } from "./tools/homeassistant/approval-notifier.ts";
import { createHomeAssistantClient } from "./tools/homeassistant/client.ts";
import { homeAssistantTools } from "./tools/homeassistant/index.ts";
import { incidentTools } from "./tools/incidents/index.ts";
import { noMounts } from "./tools/mcp/mount-status.ts";
import { memoryTools } from "./tools/memory/index.ts";
import { createNasClient } from "./tools/nas/client.ts";
import { nasTools } from "./tools/nas/tools.ts";
import { createNetworkClient } from "./tools/network/client.ts";
import { networkTools } from "./tools/network/index.ts";
import { createDomainStore } from "./tools/network/store.ts";
import { createPlexClient } from "./tools/plex/client.ts";
import { definePlexImportJob } from "./tools/plex/import-job.ts";
import { plexTools } from "./tools/plex/index.ts";
import { parsePathMap } from "./tools/plex/path-map.ts";
import { createRegistry } from "./tools/registry.ts";
import { createRunTool } from "./tools/run-tool.ts";
import { createStorageClient } from "./tools/storage/client.ts";
import { storageTools } from "./tools/storage/index.ts";
import { createSunshineClient } from "./tools/sunshine/client.ts";
import { sunshineTools } from "./tools/sunshine/index.ts";
import { systemTools } from "./tools/system/index.ts";

/** Builds the external-system clients from validated config. */
export function createClients(config: Config, log: Logger): Clients {
  const { plex, media, sunshine } = config;
  const { url, token, notifyTarget } = config.homeassistant;
  return {
    docker: createDockerClients(config.docker.hosts, { sshAgent: config.docker.sshAgent }),
    plex:
      plex.url && plex.token
        ? createPlexClient({ url: plex.url, token: plex.token, timeoutMs: plex.timeoutSeconds * 1000 })
        : undefined,
    media: {
      movies: media.moviesDir,
      tv: media.tvDir,
      pathMap: parsePathMap(plex.pathMap),
      importWaitMs: media.importWaitSeconds * 1000,
    },
    sunshine:
      sunshine.url && sunshine.password
        ? createSunshineClient({
            name: sunshine.name ?? new URL(sunshine.url).hostname,
            url: sunshine.url,
            gamestreamUrl: sunshine.gamestreamUrl,
            user: sunshine.user,
            password: sunshine.password,
            certSha256: sunshine.certSha256,
            timeoutMs: sunshine.timeoutSeconds * 1000,
          })
        : undefined,
    homeassistant:
      url && token
        ? createHomeAssistantClient({
            url,
            token,
            notifyTarget,
            log: log.child({ component: "homeassistant" }),
          })
        : undefined,
  };
}

/** Every tool Jarvis has: an explicit list. */
export const allTools: readonly Tool[] = [
  ...dockerTools,
  ...memoryTools,
  ...incidentTools,
  ...systemTools,
  ...networkTools,
  ...deployTools,
  ...plexTools,
  ...sunshineTools,
  ...storageTools,
  ...backupTools,
  ...nasTools,
  ...homeAssistantTools,
  ...googleTools,
];

export interface JarvisOptions {
  log: Logger;
  /** Injected clients (tests); built from config otherwise. */
  clients?: Clients;
  /** An already-open database (tests share one); opened from config otherwise. */
  database?: Database;
  /** The exact toolset (tests): no MCP servers are mounted. Default: every tool plus config's mounts. */
  tools?: readonly Tool[];
  /** fetch for the model provider (tests, proxies). */
  fetch?: typeof fetch;
  /** What the local intent engine resolves names against (evals pass a world's); live by default. */
  inventory?: InventorySource;
  /** Memory for the incident loop (recall similar incidents, remember outcomes); none by default. */
  incidentMemory?: IncidentMemory;
  /** An already-open Redis connection (tests); opened from `REDIS_URL` otherwise, when set. */
  redis?: Redis;
  /** The event bus (tests); on `redis` when there is one, in-process otherwise. */
  events?: EventBus;
}

/** The core, independent of any surface: database, tools, the gate, approvals, tokens. */
export async function createJarvis(config: Config, options: JarvisOptions) {
  const database =
    options.database ?? (await openDatabase({ dataDir: config.dataDir, url: config.database.url }));
  /** This process on the database: its work is never marked interrupted while it lives. */
  const instances = createInstances({
    db: database.db,
    role: config.role,
    timeoutMs: config.instances.timeoutSeconds * 1000,
    log: options.log.child({ component: "instances" }),
  });
  await instances.start();
  /** Shared by the job queue, locks, events and rate limits; undefined: everything in-process. */
  const redis = options.redis ?? (config.redis.url ? connectRedis(config.redis.url, options.log) : undefined);
  const events = options.events ?? createEventBus({ redis, log: options.log });
  /** Background work as jobs: on Redis across processes, in this process without it. */
  const { jobs, locks, leases } = await createJobs({
    redis,
    log: options.log,
    concurrency: config.jobs.concurrency,
    lockMs: config.jobs.lockMs,
  });
  const incidentStore = createIncidentStore(database.db);
  const clients: Clients = {
    incidents: incidentStore,
    ...(options.clients ?? createClients(config, options.log)),
  };
  clients.jobs ??= jobs;
  // Connects in the background (with backoff); Jarvis starts whether Home Assistant answers or not.
  void clients.homeassistant?.start();
  clients.deploy ??= createDeployClient(config.deploy);
  clients.network ??= createNetworkClient(config.domains, { store: createDomainStore(database.db) });
  clients.secrets ??= createSecretStore({
    db: database.db,
    key: loadSecretKey({ dataDir: config.dataDir, key: config.secrets.key }),
  });
  clients.storage ??= createStorageClient({
    db: database.db,
    roots: config.storage.roots,
    trendDays: config.storage.trendDays,
  });
  if (!clients.google && config.google.clientId) {
    clients.google = createGoogleClient({
      clientId: config.google.clientId,
      clientSecret: config.google.clientSecret,
      secrets: clients.secrets,
      calendarId: config.google.calendarId,
      rootUrl: config.google.apiRootUrl,
      tokenUrl: config.google.tokenUrl,
      timeoutMs: config.google.timeoutSeconds * 1000,
      uploadRoots: config.google.uploadRoots,
    });
  }
  if (!clients.backups) {
    clients.backups = createBackups(config, {
      db: database.db,
      clients,
      log: options.log,
      owner: instances.id,
    });
    await clients.backups.load();
  }
  if (!clients.nas && config.nas.devices.length) {
    clients.nas = createNasClient({
      devices: config.nas.devices,
      run: createRunProgram({ log: options.log.child({ component: "nas" }) }),
      secrets: clients.secrets,
      mountBase: config.nas.mountBase,
    });
  }
  const prompts = loadPrompts(config.agent.promptsDir);
  const inventory = options.inventory ?? createLiveInventory(clients);
  const model = createModel(config, { fetch: options.fetch, inventory });
  // Voice is local-first whatever JARVIS_LOCAL_FIRST says for chat.
  const voiceModel =
    config.model === "local" || config.agent.localFirst
      ? model
      : createModel(
          { ...config, agent: { ...config.agent, localFirst: true } },
          { fetch: options.fetch, inventory },
        );
  clients.memory ??= createMemoryStore({
    db: database.db,
    embedder: createEmbedder(config, { fetch: options.fetch }),
    log: options.log.child({ component: "memory" }),
    // With an LLM (and not the local engine in front of it), consolidation may ask the model.
    llm: config.model !== "local" && !config.agent.localFirst ? model.model : undefined,
    guard: createMemoryGuard({ systemPrompt: prompts.system }),
  });
  const memory = clients.memory;
  // With Redis, re-embedding is a job a worker runs once; in this process otherwise.
  if (redis && !options.clients?.memory)
    await enqueueReembedding({ memory, jobs, locks, log: options.log }).catch((error) =>
      options.log.warn("cannot enqueue re-embedding", { error: (error as Error).message }),
    );
  else memory.start();
  // The MCP client is loaded only when servers are mounted, so the CLI starts no slower without.
  const mounts =
    options.tools || config.mcp.servers.every((s) => !s.enabled)
      ? noMounts
      : await (await import("./tools/mcp/mounts.ts")).connectMounts(config.mcp.servers, options.log);
  const registry = createRegistry(options.tools ?? [...allTools, ...mounts.tools]);
  const audit = createAuditLog(database.db, { owner: instances.id });
  const approvals = createApprovals(database.db);
  const tokens = createTokens(database.db);
  const sessions = createSessions(database.db, { ttlMs: config.session.ttlHours * 3_600_000 });
  const runTool = createRunTool({
    registry,
    clients,
    approvals,
    audit,
    policy: config.policy,
    limits: {
      timeoutMs: config.tools.timeoutSeconds * 1000,
      maxOutputBytes: config.tools.maxOutputBytes,
      approvalTtlMs: config.approvals.ttlMinutes * 60_000,
    },
    log: options.log,
  });
  // The requester of an approved call was allowed to request it (viewers cannot), so it executes
  // with operator rights under the requester's id.
  const resolvePrincipal = (id: string): Principal => ({ id, name: id, role: "operator" });
  const conversations = createConversations(database.db, { owner: instances.id });
  const agent = createAgent({
    conversations,
    approvals,
    runTool,
    registry,
    model,
    voiceModel,
    prompts,
    settings: config.agent,
    log: options.log,
    recall: createRecalledContext({ memory, limit: config.memory.recallLimit, log: options.log }),
    events,
  });
  // Every process hears of approvals created and decided anywhere (consoles, notifiers).
  const announce = (type: "approval-created" | "approval-decided", approval: ApprovalView) =>
    void events.publish(approvalsChannel, { type, approval }).catch(() => {});
  approvals.onCreated((row) => announce("approval-created", viewApproval(row)));
  // Every decision, wherever it is made (the API, a chat, a superseding message, an incident).
  approvals.onDecided((row) => announce("approval-decided", viewApproval(row)));
  const decideApproval = createDecideApproval({
    approvals,
    runTool,
    resolvePrincipal,
    onRunApproval: (approval) => agent.onApprovalDecided(approval),
    onDecided: (approval, run, error) => incidents.onApprovalDecided(approval, run, error),
  });
  // Approval requests to the Home Assistant companion app, with Approve / Deny actions.
  const { approvalNotify, approvalPrincipal } = config.homeassistant;
  if (clients.homeassistant && approvalNotify) {
    const notifier = createApprovalNotifier({
      client: clients.homeassistant,
      service: approvalNotify,
      principal: { id: `ha:${approvalPrincipal}`, name: approvalPrincipal, role: "operator" },
      decide: decideApproval,
      log: options.log.child({ component: "homeassistant" }),
      claim: createClaim(redis),
    });
    notifier.start();
    approvals.onCreated((row) => void notifier.notify(row));
  }
  const incidents = createIncidents({
    store: incidentStore,
    approvals,
    runTool,
    audit,
    runbooks: loadRunbooks(config.incidents.runbooksDir ?? shippedRunbooksDir),
    settings: {
      maxActionsPerHour: config.incidents.maxActionsPerHour,
      defaultHost: config.docker.hosts[0]!.name,
    },
    memory: options.incidentMemory ?? createIncidentMemory({ memory, store: incidentStore }),
    // The local engine writes no diagnoses: runbooks run deterministically without an LLM.
    diagnose: config.model === "local" ? undefined : createDiagnose(model.model),
    log: options.log.child({ component: "incidents" }),
    // With Redis, loop steps are jobs any worker runs (under a per-target lock); in-process otherwise.
    dispatch: redis ? dispatchRemediation(jobs) : undefined,
  });
  defineRemediationJob({ jobs, locks, incidents, defaultHost: config.docker.hosts[0]!.name });
  definePlexImportJob({ jobs, clients });
  // In one process the queue always runs here (the CLI and MCP over stdio too): a tool's job must
  // not wait for a worker that does not exist. With Redis, worker processes run them.
  if (!redis) await jobs.start();

  if (clients.backups) clients.backups.onFailure = (alert) => void incidents.ingest([alert]).catch(() => {});

  return {
    config,
    database,
    instances,
    redis,
    events,
    jobs,
    locks,
    /** Leader election across processes (the event-stream monitors run in one process at a time). */
    leases,
    clients,
    registry,
    audit,
    approvals,
    tokens,
    sessions,
    runTool,
    decideApproval,
    agent,
    conversations,
    incidents,
    memory,
    mounts,
    log: options.log,
    /** Waits for runs resumed in the background, then closes the database it opened. */
    close: async () => {
      await agent.idle();
      await incidents.stop();
      await jobs.close();
      await memory.stop();
      await mounts.close();
      clients.homeassistant?.close();
      await instances.stop();
      if (!options.events) await events.close();
      if (!options.database) await database.close();
      if (redis && !options.redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
export type Jarvis = Awaited<ReturnType<typeof createJarvis>>;
