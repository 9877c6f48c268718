import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { JarvisError } from "./errors.ts";
import { Secret } from "./secret.ts";

/**
 * Configuration: one zod schema, read from an optional `jarvis.yaml` and environment variables
 * (environment wins). This is the only module that reads `process.env`.
 */

const secret = z
  .string()
  .min(1)
  .transform((value) => new Secret(value));
const glob = z.string().min(1);
/** A list from YAML, or a comma-separated environment variable. */
const list = z.preprocess(
  (value) =>
    typeof value === "string"
      ? value
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  z.array(z.string().min(1)),
);

export const Source = z.enum(["chat", "mcp", "alert", "voice", "api", "cli"]);
export type Source = z.infer<typeof Source>;

export const PolicyRule = z.strictObject({
  tool: glob,
  target: glob.optional(),
  source: Source.optional(),
  action: z.enum(["allow", "ask", "deny"]),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const DockerHostConfig = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, "letters, digits, '.', '_' or '-'"),
  url: z
    .string()
    .regex(/^(unix|tcp|ssh|http|https):\/\//, "must start with unix://, tcp://, ssh://, http:// or https://"),
  tls: z.strictObject({ ca: z.string(), cert: z.string(), key: z.string() }).optional(),
  sshKey: z.string().optional(),
});
export type DockerHostConfig = z.infer<typeof DockerHostConfig>;

const percent = z.coerce.number().min(1).max(100);
const flag = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")])
  .default(true);

/** A filesystem the disk monitor watches, with thresholds of its own if the defaults do not fit. */
export const DiskMount = z.strictObject({
  path: z.string().min(1),
  warning: percent.optional(),
  critical: percent.optional(),
});
export type DiskMount = z.infer<typeof DiskMount>;

/** Another MCP server whose tools Jarvis mounts: a stdio command or a Streamable HTTP URL. */
export const McpServerConfig = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/i, "a letter, then letters, digits, '_' or '-'"),
    stdio: z
      .strictObject({
        command: z.string().min(1),
        args: z.array(z.string()).default([]),
        env: z.record(z.string(), z.string()).default({}),
        cwd: z.string().optional(),
      })
      .optional(),
    url: z.url().optional(),
    /** HTTP headers for url (an Authorization bearer token); values are secrets. */
    headers: z.record(z.string(), secret).default({}),
    /** Tool names become <prefix>_<tool>; default: the server's name. */
    prefix: z
      .string()
      .regex(/^[a-z][a-z0-9]*$/, "lower-case letters and digits, starting with a letter")
      .optional(),
    enabled: z.boolean().default(true),
  })
  .refine((server) => Boolean(server.stdio) !== Boolean(server.url), "give either stdio or url, not both");
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/** A domain Jarvis watches: a name, or {domain, port?, path?} when the site is not at https://<domain>/. */
const domainName = z
  .string()
  .toLowerCase()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z][a-z0-9-]+$/, "a domain name like example.org");
export const WatchedDomain = z.strictObject({
  domain: domainName,
  port: z.coerce.number().int().min(1).max(65535).optional(),
  path: z.string().startsWith("/").optional(),
});
export type WatchedDomain = z.infer<typeof WatchedDomain>;
/** `local=plex` folder pairs: how Plex (often in a container) sees a folder Jarvis sees. */
const pathMap = list.pipe(
  z.array(
    z.string().regex(/^\/[^=]*=\/[^=]*$/, "local=plex with two absolute paths, e.g. /srv/media=/media"),
  ),
);

export const PlexConfig = z
  .strictObject({
    /** e.g. http://192.168.1.10:32400 */
    url: z.url().optional(),
    token: secret.optional(),
    timeoutSeconds: z.coerce.number().positive().max(300).default(10),
    pathMap: pathMap.default([]),
  })
  .refine(
    (plex) => Boolean(plex.url) === Boolean(plex.token),
    "set both PLEX_URL and PLEX_TOKEN, or neither",
  );
export type PlexConfig = z.infer<typeof PlexConfig>;
const jobName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, "letters, digits, '_' or '-'");
const keep = z.coerce.number().int().min(0).max(1000).optional();

/** A Docker volume a backup job copies, optionally with its container stopped (and always started again). */
export const BackupVolume = z.strictObject({
  name: z.string().min(1),
  host: z.string().optional(),
  /** A container to stop for a consistent copy; it is started again whether the backup worked or not. */
  stopContainer: z.string().optional(),
});

/** A backup job: what to copy into which restic repository, when, and how long to keep it. */
export const BackupJob = z.strictObject({
  name: jobName,
  /** Any restic repository: a local path, sftp:, rest:, s3: … (credentials in it are never shown). */
  repository: z.string().min(1),
  /** The secret store name of the repository password; default restic/<job name>. */
  passwordSecret: z.string().min(1).optional(),
  paths: z.array(z.string().min(1)).default([]),
  volumes: z.array(BackupVolume).default([]),
  /** Names from backups.databases, dumped with pg_dump (custom format) into the snapshot. */
  databases: z.array(z.string().min(1)).default([]),
  /** Five-field cron expression (minute hour day month weekday), in the server's time zone. */
  schedule: z.string().optional(),
  keep: z.strictObject({ daily: keep, weekly: keep, monthly: keep }).optional(),
});
export type BackupJob = z.infer<typeof BackupJob>;

/** A PostgreSQL database Jarvis can dump and restore. */
export const BackupDatabase = z.strictObject({
  name: jobName,
  host: z.string().default("127.0.0.1"),
  port: z.coerce.number().int().min(1).max(65535).default(5432),
  user: z.string().default("postgres"),
  database: z.string().min(1),
  /** The secret store name of the password; default postgres/<name>. */
  passwordSecret: z.string().min(1).optional(),
  /** The restic repository dumps go into; default the first job that lists this database. */
  repository: z.string().optional(),
  /**
   * A container that runs this server: pg_dump and pg_restore then run inside it (Docker exec), so
   * their version always matches the server's. Deployed databases set it; default: the local ones.
   */
  container: z.strictObject({ name: z.string().min(1), host: z.string().optional() }).optional(),
});
export type BackupDatabase = z.infer<typeof BackupDatabase>;

/** A NAS reached over SMB; the password lives in the secret store (nas/<name> unless named). */
export const NasDevice = z.strictObject({
  name: jobName,
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535).default(445),
  /** Omitted: guest access. */
  username: z.string().min(1).optional(),
  passwordSecret: z.string().min(1).optional(),
});
export type NasDevice = z.infer<typeof NasDevice>;

export const Config = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.coerce.number().int().min(0).max(65535).default(8750),
      /** Host names besides loopback and IP addresses that /mcp answers (DNS rebinding protection). */
      allowedHosts: list.default([]),
      /** Browser origins besides loopback and the server's own that may call /mcp. */
      allowedOrigins: list.default([]),
    })
    .prefault({}),
  dataDir: z.string().min(1).default("./data"),
  database: z.strictObject({ url: secret.optional() }).prefault({}),
  /**
   * Redis for scale-out: set, background work becomes jobs any worker process picks up and events
   * fan out across processes; unset, everything runs in one process.
   */
  redis: z.strictObject({ url: secret.optional() }).prefault({}),
  /**
   * Per-token request limits on the HTTP API and /mcp (health routes exempt): at most `requests`
   * per `windowSeconds` (a sliding window), shared across processes through Redis when it is set.
   */
  rateLimit: z
    .strictObject({
      requests: z.coerce.number().int().min(0).max(1_000_000).default(0),
      windowSeconds: z.coerce.number().int().min(1).max(86_400).default(60),
    })
    .prefault({}),
  /** What this process does: `api` (HTTP, UI, MCP), `worker` (background jobs) or `all` (both). */
  role: z.enum(["all", "api", "worker"]).default("all"),
  /** The job queue (in-process, or BullMQ with `redis.url`). */
  jobs: z
    .strictObject({
      /** Jobs one worker process runs at once. */
      concurrency: z.coerce.number().int().min(1).max(64).default(4),
      /**
       * With Redis: how long a worker's hold on a job lasts unrenewed, and how often jobs of a dead
       * worker are handed on (BullMQ lockDuration/stalledInterval); also the lease TTL of the
       * event-stream monitors (src/jobs/leader.ts), so the time a dead worker's monitors take to move.
       * Lower it only in tests.
       */
      lockMs: z.coerce.number().int().min(200).max(600_000).default(30_000),
    })
    .prefault({}),
  /**
   * Process liveness on the shared database: each process renews its row every quarter of
   * `timeoutSeconds`; work left "running" by a process silent longer is marked interrupted.
   */
  instances: z.strictObject({ timeoutSeconds: z.coerce.number().min(1).max(3600).default(45) }).prefault({}),
  /** The encrypted secret store's key; default: <dataDir>/secret.key, created once with mode 0600. */
  secrets: z.strictObject({ key: secret.optional() }).prefault({}),
  log: z
    .strictObject({ level: z.enum(["debug", "info", "warn", "error", "silent"]).default("info") })
    .prefault({}),
  model: z
    .string()
    .regex(
      /^(local|openai:.+|openai-compatible:https?:\/\/[^#]+#.+)$/,
      "local, openai:<model> or openai-compatible:<baseURL>#<model>",
    )
    .default("local"),
  docker: z
    .strictObject({
      hosts: z
        .array(DockerHostConfig)
        .min(1)
        .refine(
          (hosts) => new Set(hosts.map((h) => h.name)).size === hosts.length,
          "host names must be unique",
        )
        .default([{ name: "local", url: "unix:///var/run/docker.sock" }]),
      /** ssh-agent socket for ssh:// hosts without a key file (from SSH_AUTH_SOCK). */
      sshAgent: z.string().optional(),
    })
    .prefault({}),
  policy: z.strictObject({ rules: z.array(PolicyRule).default([]) }).prefault({}),
  /** Chat console sign-ins. */
  session: z.strictObject({ ttlHours: z.coerce.number().positive().max(8760).default(12) }).prefault({}),
  incidents: z
    .strictObject({
      /** The circuit breaker: automatic remediation actions allowed per target per hour. */
      maxActionsPerHour: z.coerce.number().int().min(0).max(100).default(3),
      /** Folder of runbooks (*.md); default: the prompts/runbooks shipped with Jarvis. */
      runbooksDir: z.string().optional(),
      monitors: z
        .strictObject({
          /** Watch Docker events on every configured host (unhealthy, non-zero exits, OOM kills). */
          docker: flag,
          disk: z
            .strictObject({
              enabled: flag,
              /** Mounts to watch: paths, or {path, warning?, critical?}; "PATH,PATH" in the environment. */
              mounts: z
                .union([
                  z.array(z.union([z.string().min(1), DiskMount])),
                  z.string().transform((v) =>
                    v
                      .split(",")
                      .map((p) => p.trim())
                      .filter(Boolean),
                  ),
                ])
                .default(["/"])
                .transform((list) => list.map((m) => (typeof m === "string" ? { path: m } : m))),
              warning: percent.default(85),
              critical: percent.default(95),
              intervalSeconds: z.coerce.number().min(1).max(86400).default(60),
            })
            .prefault({}),
          /** Check the watched domains (domains.watch) on a schedule: certificate expiry, site down, DNS changes. */
          domains: z
            .strictObject({
              enabled: flag,
              intervalMinutes: z.coerce.number().min(1).max(10080).default(60),
              warningDays: z.coerce.number().int().min(1).max(365).default(14),
              criticalDays: z.coerce.number().int().min(0).max(365).default(3),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Domains and certificates (net_check_domain, net_list_domains, the domain monitor). */
  domains: z
    .strictObject({
      /** Domains to watch: names, or {domain, port?, path?}; "a.org,b.org" in the environment. */
      watch: z
        .preprocess(
          (value) =>
            typeof value === "string"
              ? value
                  .split(",")
                  .map((d) => d.trim())
                  .filter(Boolean)
              : value,
          z.array(z.union([domainName, WatchedDomain])),
        )
        .default([])
        .transform((list) => list.map((d) => (typeof d === "string" ? { domain: d } : d))),
      /** DNS servers to ask (`1.1.1.1`, `192.168.1.1:53`, `[::1]:5353`); default: the system's. */
      dnsServers: list.default([]),
      /** PEM file of extra CAs trusted besides the system store (a homelab CA). */
      caFile: z.string().min(1).optional(),
      timeoutSeconds: z.coerce.number().positive().max(120).default(10),
      maxRedirects: z.coerce.number().int().min(0).max(20).default(5),
    })
    .prefault({}),
  /** One-click deployments: templates shipped in src/tools/deploy/templates plus a folder of the user's. */
  deploy: z.strictObject({ templatesDir: z.string().min(1).optional() }).prefault({}),
  storage: z
    .strictObject({
      /** Where storage_dir_size may look and restores may write; anything else is refused. */
      roots: list.default(["/"]),
      /** Minutes between disk usage samples (the growth trend); 0 turns sampling off. */
      sampleMinutes: z.coerce.number().min(0).max(1440).default(60),
      /** Days of samples the growth trend is fitted over. */
      trendDays: z.coerce.number().min(1).max(365).default(14),
    })
    .prefault({}),
  /** Backup jobs and databases (jarvis.yaml only: backups.jobs, backups.databases). */
  backups: z
    .strictObject({
      jobs: z
        .array(BackupJob)
        .default([])
        .refine((jobs) => new Set(jobs.map((j) => j.name)).size === jobs.length, "job names must be unique"),
      databases: z
        .array(BackupDatabase)
        .default([])
        .refine(
          (dbs) => new Set(dbs.map((d) => d.name)).size === dbs.length,
          "database names must be unique",
        ),
      /** Longest one backup run may take. */
      timeoutMinutes: z.coerce.number().positive().max(10080).default(720),
      /**
       * The restic repository for the databases deploy_app creates (password: secret restic/deployed,
       * generated on first use); default <data dir>/backups/deployed.
       */
      deployRepository: z.string().min(1).optional(),
    })
    .prefault({}),
  /** NAS devices (jarvis.yaml only: nas.devices); shares mount under mountBase. */
  nas: z
    .strictObject({
      devices: z
        .array(NasDevice)
        .default([])
        .refine((d) => new Set(d.map((n) => n.name)).size === d.length, "NAS names must be unique"),
      mountBase: z.string().min(1).default("/mnt/nas"),
    })
    .prefault({}),
  approvals: z.strictObject({ ttlMinutes: z.coerce.number().positive().max(10080).default(15) }).prefault({}),
  tools: z
    .strictObject({
      timeoutSeconds: z.coerce.number().positive().max(86400).default(30),
      maxOutputBytes: z.coerce.number().int().min(1024).default(32768),
    })
    .prefault({}),
  client: z.strictObject({ url: z.url().optional(), token: secret.optional() }).prefault({}),
  memory: z
    .strictObject({
      /** lexical-<dims> (offline, default), openai:<model> or openai-compatible:<baseURL>#<model>. */
      embeddingModel: z
        .string()
        .regex(
          /^(lexical-\d{2,4}|openai:.+|openai-compatible:https?:\/\/[^#]+#.+)$/,
          "lexical-384, openai:<model> or openai-compatible:<baseURL>#<model>",
        )
        .default("lexical-384"),
      /** Memories recalled into the agent's context at the start of a run (0 turns it off). */
      recallLimit: z.coerce.number().int().min(0).max(20).default(5),
    })
    .prefault({}),
  plex: PlexConfig.prefault({}),
  sunshine: z
    .strictObject({
      /** The Web UI / API, e.g. https://gaming-pc:47990 */
      url: z.url().optional(),
      /** Name of the host in Jarvis; default the URL's host name. */
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]*$/i, "letters, digits, '.', '_' or '-'")
        .optional(),
      user: z.string().min(1).default("admin"),
      password: secret.optional(),
      /** SHA-256 fingerprint of Sunshine's self-signed certificate (hex, colons allowed). */
      certSha256: z
        .string()
        .regex(/^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i, "a SHA-256 fingerprint: 64 hex digits, colons allowed")
        .optional(),
      /** GameStream HTTP base for /serverinfo; default http://<url host>:47989 */
      gamestreamUrl: z.url().optional(),
      timeoutSeconds: z.coerce.number().positive().max(300).default(10),
    })
    .refine((s) => !s.url || s.password, "SUNSHINE_PASSWORD is needed with SUNSHINE_URL")
    .prefault({}),
  /** Google Calendar, Gmail and Drive: an OAuth client for an installed app (see README, "Google"). */
  google: z
    .strictObject({
      /** OAuth client id of a "Desktop app" client from the Google Cloud console. */
      clientId: z.string().min(1).optional(),
      /** Its client secret; may instead be stored in the secret store as google/client-secret. */
      clientSecret: secret.optional(),
      /** The calendar events are read from and added to. */
      calendarId: z.string().min(1).default("primary"),
      /** Directories drive_upload may read files from; nothing else is uploaded. */
      uploadRoots: list.default([]),
      timeoutSeconds: z.coerce.number().positive().max(300).default(20),
      /** Endpoint overrides, for tests against a simulator (default: the real Google endpoints). */
      authUrl: z.url().optional(),
      tokenUrl: z.url().optional(),
      apiRootUrl: z.url().optional(),
    })
    .prefault({}),
  /** Library roots that media imports write into (never outside them). */
  media: z
    .strictObject({
      moviesDir: z.string().min(1).optional(),
      tvDir: z.string().min(1).optional(),
      /** How long plex_import_media waits for its job before answering that it goes on in the background. */
      importWaitSeconds: z.coerce.number().min(0).max(600).default(10),
    })
    .prefault({}),
  /** Home Assistant: the WebSocket API with a long-lived access token. */
  homeassistant: z
    .strictObject({
      /** Base URL, e.g. http://homeassistant.local:8123 (no /api). */
      url: z.url().optional(),
      token: secret.optional(),
      /** The notify service ha_notify uses without a target, e.g. mobile_app_pixel_8. */
      notifyTarget: z
        .string()
        .regex(/^[a-z0-9_]+$/, "a notify service name like mobile_app_pixel_8")
        .default("notify"),
      /** Send every new approval request to this notify service as an actionable notification. */
      approvalNotify: z
        .string()
        .regex(/^[a-z0-9_]+$/, "a notify service name like mobile_app_pixel_8")
        .optional(),
      /** Entity conditions that open incidents (jarvis.yaml only): a NAS plug `unavailable`, a UPS `on_battery`. */
      alerts: z
        .array(
          z.strictObject({
            entity_id: z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, "an entity id like sensor.ups_status"),
            /** The state(s) that mean trouble. */
            state: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
            severity: z.enum(["info", "warning", "critical"]).default("warning"),
            /** What the incident is called; default "<entity> is <state>". */
            title: z.string().min(1).max(200).optional(),
          }),
        )
        .default([]),
      /** Who decides an approval tapped in the companion app (an operator, for audit). */
      approvalPrincipal: z.string().min(1).max(100).default("homeassistant"),
    })
    .prefault({})
    .refine((ha) => !ha.url || ha.token, { message: "HA_TOKEN is required with HA_URL", path: ["token"] }),
  /** Voice surfaces (OpenAI/Ollama-compatible APIs, webhook-conversation). */
  voice: z
    .strictObject({
      /** A spoken PIN that lets "confirm <PIN>" approve destructive calls by voice; without it they never are. */
      pin: z
        .string()
        .regex(/^\d{4,12}$/, "4 to 12 digits")
        .transform((value) => new Secret(value))
        .optional(),
    })
    .prefault({}),
  /** Other MCP servers mounted as toolsets (jarvis.yaml only: mcp.servers). */
  mcp: z
    .strictObject({
      servers: z
        .array(McpServerConfig)
        .default([])
        .refine(
          (servers) => new Set(servers.map((s) => s.name)).size === servers.length,
          "MCP server names must be unique",
        ),
    })
    .prefault({}),
  agent: z
    .strictObject({
      maxSteps: z.coerce.number().int().min(1).max(100).default(12),
      runTimeoutSeconds: z.coerce.number().positive().max(3600).default(300),
      /** Retries of a failed model call (connection errors, 429, 5xx), with backoff. */
      maxRetries: z.coerce.number().int().min(0).max(10).default(2),
      /** API key for JARVIS_MODEL=openai:… (OPENAI_API_KEY) or an openai-compatible server that wants one. */
      apiKey: secret.optional(),
      /** Overrides the OpenAI base URL for openai:… (a proxy or Azure-style gateway). */
      openaiBaseUrl: z.url().optional(),
      /** With an LLM configured: try the local intent engine first, and the LLM below the threshold. */
      localFirst: z
        .union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")])
        .default(false),
      localThreshold: z.coerce.number().min(0).max(1).default(0.7),
      /** Folder with system.md and tools/<tool>.md; default: the prompts/ folder shipped with Jarvis. */
      promptsDir: z.string().optional(),
    })
    .prefault({}),
});
export type Config = z.infer<typeof Config>;

/** Environment variables and the config keys they set. The README's table is this table. */
export const envVars: Record<string, { key: string; help: string }> = {
  JARVIS_HOST: { key: "server.host", help: "address to listen on (default 127.0.0.1)" },
  PORT: { key: "server.port", help: "HTTP port (default 8750)" },
  JARVIS_SESSION_TTL_HOURS: {
    key: "session.ttlHours",
    help: "hours a chat console sign-in lasts (12)",
  },
  JARVIS_ALLOWED_HOSTS: {
    key: "server.allowedHosts",
    help: "comma-separated host names /mcp answers besides loopback and IP addresses (DNS rebinding protection)",
  },
  JARVIS_ALLOWED_ORIGINS: {
    key: "server.allowedOrigins",
    help: "comma-separated browser origins allowed to call /mcp besides loopback and the server's own",
  },
  JARVIS_DATA_DIR: { key: "dataDir", help: "data directory (default ./data)" },
  DATABASE_URL: { key: "database.url", help: "PostgreSQL URL with pgvector; default: embedded PGlite" },
  REDIS_URL: {
    key: "redis.url",
    help: "Redis URL (redis://[:password@]host:6379[/db]) for jobs across several processes; default: in-process",
  },
  JARVIS_RATE_LIMIT: {
    key: "rateLimit.requests",
    help: "requests one API token may make per window on the HTTP API and /mcp, across every process (0: no limit, the default); over it: 429 with Retry-After",
  },
  JARVIS_RATE_LIMIT_WINDOW_SECONDS: {
    key: "rateLimit.windowSeconds",
    help: "the sliding window of JARVIS_RATE_LIMIT, in seconds (60)",
  },
  JARVIS_ROLE: {
    key: "role",
    help: "all | api | worker: serve the API and UI, run background jobs, or both (default all; `serve --role` wins)",
  },
  JARVIS_JOBS_CONCURRENCY: { key: "jobs.concurrency", help: "background jobs one worker runs at once (4)" },
  JARVIS_JOBS_LOCK_MS: {
    key: "jobs.lockMs",
    help: "with Redis: ms before a dead worker's jobs and event-stream monitors are handed to another (30000; tests lower it)",
  },
  JARVIS_INSTANCE_TIMEOUT_SECONDS: {
    key: "instances.timeoutSeconds",
    help: "seconds a Jarvis process may go silent before others mark the tool calls, agent runs and backups it left running interrupted (45)",
  },
  JARVIS_SECRET_KEY: {
    key: "secrets.key",
    help: "key of the encrypted secret store: 64 hex digits or a passphrase of 16+ characters (default: <data dir>/secret.key, created once, mode 0600)",
  },
  JARVIS_LOG_LEVEL: { key: "log.level", help: "debug | info | warn | error | silent (default info)" },
  JARVIS_MODEL: { key: "model", help: "local | openai:<model> | openai-compatible:<baseURL>#<model>" },
  JARVIS_APPROVAL_TTL_MINUTES: { key: "approvals.ttlMinutes", help: "minutes a pending approval lives (15)" },
  JARVIS_MAX_ACTIONS_PER_HOUR: {
    key: "incidents.maxActionsPerHour",
    help: "circuit breaker: automatic remediation actions per target per hour (3)",
  },
  JARVIS_RUNBOOKS_DIR: {
    key: "incidents.runbooksDir",
    help: "folder of incident runbooks (default: shipped prompts/runbooks)",
  },
  JARVIS_MONITOR_DOCKER: {
    key: "incidents.monitors.docker",
    help: "watch Docker events for unhealthy, crashed and OOM-killed containers (true)",
  },
  JARVIS_MONITOR_DISK: { key: "incidents.monitors.disk.enabled", help: "watch disk usage (true)" },
  JARVIS_DISK_MOUNTS: { key: "incidents.monitors.disk.mounts", help: "mounts the disk monitor watches (/)" },
  JARVIS_DISK_WARNING_PERCENT: { key: "incidents.monitors.disk.warning", help: "disk usage warning (85)" },
  JARVIS_DISK_CRITICAL_PERCENT: { key: "incidents.monitors.disk.critical", help: "disk usage critical (95)" },
  JARVIS_DISK_INTERVAL_SECONDS: {
    key: "incidents.monitors.disk.intervalSeconds",
    help: "seconds between disk checks (60)",
  },
  JARVIS_DOMAINS: { key: "domains.watch", help: "comma-separated domains to watch (none)" },
  JARVIS_DNS_SERVERS: {
    key: "domains.dnsServers",
    help: "comma-separated DNS servers for domain checks (default: the system's)",
  },
  JARVIS_DOMAINS_CA_FILE: {
    key: "domains.caFile",
    help: "PEM file of CAs trusted besides the system store for certificate checks",
  },
  JARVIS_DOMAIN_TIMEOUT_SECONDS: { key: "domains.timeoutSeconds", help: "timeout of one domain check (10)" },
  JARVIS_DOMAIN_MAX_REDIRECTS: { key: "domains.maxRedirects", help: "HTTP redirects a check follows (5)" },
  JARVIS_MONITOR_DOMAINS: {
    key: "incidents.monitors.domains.enabled",
    help: "check watched domains on a schedule and open incidents (true)",
  },
  JARVIS_DOMAIN_INTERVAL_MINUTES: {
    key: "incidents.monitors.domains.intervalMinutes",
    help: "minutes between domain checks (60)",
  },
  JARVIS_CERT_WARNING_DAYS: {
    key: "incidents.monitors.domains.warningDays",
    help: "certificate expiry warning, days left (14)",
  },
  JARVIS_CERT_CRITICAL_DAYS: {
    key: "incidents.monitors.domains.criticalDays",
    help: "certificate expiry critical, days left (3)",
  },
  JARVIS_DEPLOY_TEMPLATES_DIR: {
    key: "deploy.templatesDir",
    help: "folder of your deploy templates (*.yaml), besides the shipped ones",
  },
  JARVIS_STORAGE_ROOTS: {
    key: "storage.roots",
    help: "comma-separated directories storage_dir_size may measure and restores may write to (/)",
  },
  JARVIS_STORAGE_SAMPLE_MINUTES: {
    key: "storage.sampleMinutes",
    help: "minutes between disk usage samples for the growth trend (60; 0 = off)",
  },
  JARVIS_STORAGE_TREND_DAYS: { key: "storage.trendDays", help: "days of samples the growth trend uses (14)" },
  JARVIS_BACKUP_TIMEOUT_MINUTES: {
    key: "backups.timeoutMinutes",
    help: "longest one backup run may take (720)",
  },
  JARVIS_DEPLOY_BACKUP_REPO: {
    key: "backups.deployRepository",
    help: "restic repository for deployed databases' backups (<data dir>/backups/deployed)",
  },
  JARVIS_NAS_MOUNT_BASE: { key: "nas.mountBase", help: "directory NAS shares are mounted under (/mnt/nas)" },
  JARVIS_TOOL_TIMEOUT_SECONDS: { key: "tools.timeoutSeconds", help: "default tool timeout (30)" },
  JARVIS_TOOL_MAX_OUTPUT_BYTES: {
    key: "tools.maxOutputBytes",
    help: "tool results beyond this are truncated (32768)",
  },
  SSH_AUTH_SOCK: { key: "docker.sshAgent", help: "ssh-agent socket for ssh:// Docker hosts without sshKey" },
  OPENAI_API_KEY: {
    key: "agent.apiKey",
    help: "API key for openai:… models (and openai-compatible servers that want one)",
  },
  OPENAI_BASE_URL: {
    key: "agent.openaiBaseUrl",
    help: "base URL for openai:… models (default https://api.openai.com/v1)",
  },
  JARVIS_MAX_STEPS: { key: "agent.maxSteps", help: "most model steps in one run (12)" },
  JARVIS_RUN_TIMEOUT_SECONDS: {
    key: "agent.runTimeoutSeconds",
    help: "longest one agent run may take (300)",
  },
  JARVIS_MODEL_MAX_RETRIES: { key: "agent.maxRetries", help: "retries of a failed model call (2)" },
  JARVIS_LOCAL_FIRST: {
    key: "agent.localFirst",
    help: "with an LLM: answer with the local intent engine first (false)",
  },
  JARVIS_LOCAL_THRESHOLD: {
    key: "agent.localThreshold",
    help: "local engine confidence needed to answer before the LLM (0.7)",
  },
  JARVIS_PROMPTS_DIR: {
    key: "agent.promptsDir",
    help: "folder with system.md and tools/<tool>.md (default: shipped prompts/)",
  },
  JARVIS_EMBEDDING_MODEL: {
    key: "memory.embeddingModel",
    help: "lexical-384 (offline, default) | openai:<model> | openai-compatible:<baseURL>#<model>",
  },
  JARVIS_MEMORY_RECALL: {
    key: "memory.recallLimit",
    help: "memories recalled into the agent's context per run (5; 0 = off)",
  },
  PLEX_URL: { key: "plex.url", help: "Plex Media Server URL, e.g. http://192.168.1.10:32400" },
  PLEX_TOKEN: { key: "plex.token", help: "Plex token (X-Plex-Token), a secret" },
  PLEX_TIMEOUT_SECONDS: { key: "plex.timeoutSeconds", help: "timeout of one Plex request (10)" },
  PLEX_PATH_MAP: {
    key: "plex.pathMap",
    help: "comma-separated local=plex folder pairs when Plex sees folders under other paths (/srv/media=/media)",
  },
  JARVIS_MOVIES_DIR: { key: "media.moviesDir", help: "movies library root that imports write into" },
  JARVIS_TV_DIR: { key: "media.tvDir", help: "TV shows library root that imports write into" },
  JARVIS_IMPORT_WAIT_SECONDS: {
    key: "media.importWaitSeconds",
    help: "seconds plex_import_media waits for its job before answering that it goes on in the background (10)",
  },
  SUNSHINE_URL: { key: "sunshine.url", help: "Sunshine Web UI/API URL, e.g. https://gaming-pc:47990" },
  SUNSHINE_NAME: {
    key: "sunshine.name",
    help: "the Sunshine host's name in Jarvis (default: the URL's host)",
  },
  SUNSHINE_USER: { key: "sunshine.user", help: "Sunshine admin user (admin)" },
  SUNSHINE_PASSWORD: { key: "sunshine.password", help: "Sunshine admin password, a secret" },
  SUNSHINE_CERT_SHA256: {
    key: "sunshine.certSha256",
    help: "SHA-256 fingerprint of Sunshine's self-signed certificate, trusted instead of a CA",
  },
  SUNSHINE_GAMESTREAM_URL: {
    key: "sunshine.gamestreamUrl",
    help: "GameStream HTTP base for /serverinfo (default http://<host>:47989)",
  },
  SUNSHINE_TIMEOUT_SECONDS: { key: "sunshine.timeoutSeconds", help: "timeout of one Sunshine request (10)" },
  GOOGLE_CLIENT_ID: {
    key: "google.clientId",
    help: "OAuth client id (Desktop app) for Calendar, Gmail and Drive; then run `jarvis google auth` (none)",
  },
  GOOGLE_CLIENT_SECRET: {
    key: "google.clientSecret",
    help: "its client secret (secret; or store it as google/client-secret in the secret store)",
  },
  GOOGLE_CALENDAR_ID: { key: "google.calendarId", help: "calendar read and written (primary)" },
  GOOGLE_UPLOAD_ROOTS: {
    key: "google.uploadRoots",
    help: "comma-separated directories drive_upload may upload from (none: uploads refused)",
  },
  GOOGLE_TIMEOUT_SECONDS: { key: "google.timeoutSeconds", help: "timeout of one Google request (20)" },
  GOOGLE_AUTH_URL: {
    key: "google.authUrl",
    help: "OAuth authorization endpoint, for tests (https://accounts.google.com/o/oauth2/v2/auth)",
  },
  GOOGLE_TOKEN_URL: {
    key: "google.tokenUrl",
    help: "OAuth token endpoint, for tests (https://oauth2.googleapis.com/token)",
  },
  GOOGLE_API_ROOT_URL: {
    key: "google.apiRootUrl",
    help: "root URL of the Calendar, Gmail and Drive APIs, for tests (https://www.googleapis.com/)",
  },
  HA_URL: {
    key: "homeassistant.url",
    help: "Home Assistant base URL, e.g. http://homeassistant.local:8123 (none)",
  },
  HA_TOKEN: {
    key: "homeassistant.token",
    help: "Home Assistant long-lived access token (secret; required with HA_URL)",
  },
  HA_NOTIFY_TARGET: {
    key: "homeassistant.notifyTarget",
    help: "notify service ha_notify uses by default, e.g. mobile_app_pixel_8 (notify)",
  },
  HA_APPROVAL_NOTIFY: {
    key: "homeassistant.approvalNotify",
    help: "notify service that gets every approval request with Approve/Deny actions, e.g. mobile_app_pixel_8 (none)",
  },
  HA_APPROVAL_PRINCIPAL: {
    key: "homeassistant.approvalPrincipal",
    help: "the approver recorded for approvals decided in the companion app (homeassistant)",
  },
  JARVIS_VOICE_PIN: {
    key: "voice.pin",
    help: "spoken PIN (4-12 digits, secret) that lets 'confirm <PIN>' approve destructive calls by voice (none: never by voice)",
  },
  JARVIS_URL: { key: "client.url", help: "CLI: URL of a running Jarvis (default http://127.0.0.1:<PORT>)" },
  JARVIS_TOKEN: {
    key: "client.token",
    help: "CLI: API token for a running Jarvis (default <data dir>/admin-token)",
  },
};

type Env = Record<string, string | undefined>;

/** Where each config key came from, so an error names the variable or the YAML key. */
type Provenance = Map<string, string>;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function parseDockerHostsEnv(value: string): unknown[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf("=");
      return eq > 0 ? { name: entry.slice(0, eq), url: entry.slice(eq + 1) } : { name: "", url: entry };
    });
}

function readYaml(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new JarvisError("invalid_config", `Invalid configuration:\n- JARVIS_CONFIG: cannot read ${path}`, {
      cause: error,
    });
  }
  try {
    const parsed = parseYaml(text) ?? {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("top level must be a mapping");
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new JarvisError(
      "invalid_config",
      `Invalid configuration:\n- ${path}: not valid YAML (${(error as Error).message.split("\n")[0]})`,
      { cause: error },
    );
  }
}

/**
 * Loads and validates configuration. Throws one JarvisError("invalid_config") whose message lists
 * every problem, one per line, each naming the environment variable or YAML key at fault.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const configPath = env.JARVIS_CONFIG ? resolve(cwd, env.JARVIS_CONFIG) : resolve(cwd, "jarvis.yaml");
  const explicit = Boolean(env.JARVIS_CONFIG);
  const raw: Record<string, unknown> = explicit || existsSync(configPath) ? readYaml(configPath) : {};
  const yamlName = explicit || existsSync(configPath) ? configPath : "jarvis.yaml";
  const provenance: Provenance = new Map();

  for (const [name, { key }] of Object.entries(envVars)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    setPath(raw, key, value);
    provenance.set(key, name);
  }
  const docker = (raw.docker ?? {}) as Record<string, unknown>;
  if (env.JARVIS_DOCKER_HOSTS) {
    setPath(raw, "docker.hosts", parseDockerHostsEnv(env.JARVIS_DOCKER_HOSTS));
    provenance.set("docker.hosts", "JARVIS_DOCKER_HOSTS");
  } else if (env.DOCKER_HOST && docker.hosts === undefined) {
    setPath(raw, "docker.hosts", [{ name: "local", url: env.DOCKER_HOST }]);
    provenance.set("docker.hosts", "DOCKER_HOST");
  }

  const result = Config.safeParse(raw);
  if (result.success) {
    return { ...result.data, dataDir: resolve(cwd, result.data.dataDir) };
  }
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join(".");
    const origin = [...provenance.entries()].find(([k]) => key === k || key.startsWith(`${k}.`));
    const where = origin ? origin[1] : `${yamlName}: ${key || "(top level)"}`;
    return `- ${where}: ${issue.message}`;
  });
  throw new JarvisError("invalid_config", `Invalid configuration:\n${problems.join("\n")}`);
}
