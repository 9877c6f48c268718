import { failure, summarize } from "../answers.ts";
import { intent } from "../intent.ts";
import { backupAnswer } from "./backup-report.ts";
import { nasReport } from "./status-reports.ts";

/** Disk facts people ask a NAS about that SMB does not show: answered as unseen, never guessed. */
const unseenByNas: Record<string, string> = {
  temperature: "disk temperatures",
  temperatures: "disk temperatures",
  temp: "disk temperatures",
  temps: "disk temperatures",
  hot: "disk temperatures",
  warm: "disk temperatures",
  health: "SMART health",
  healthy: "SMART health",
  smart: "SMART health",
  "smart status": "SMART health",
  "smart health": "SMART health",
};

export const nasIntents = [
  intent({
    name: "nas.status",
    templates: [
      "(is|are) [the] (nas|{nas}) (up|online|ok|reachable|on)",
      "(nas|{nas}) status",
      "(show|check|whats|what is) [the] (nas|{nas}) [status]",
      "(is|are) [the] (nas|{nas}) (healthy|fine|alright)",
      "(what|whats) [is] [the] {unseen} (are|is|of) [the] (disks|drives) (in|of|on) [the] (nas|{nas})",
      "how {unseen} are [the] (disks|drives) (in|of|on) [the] (nas|{nas})",
      "how {unseen} are [the] (nas|{nas}) (disks|drives)",
      "[whats|what is] [the] (nas|{nas}) (disk|drive) {unseen}",
      "(nas|{nas}) health",
      "how much [free] (space|room|storage) is (left|free|available) (on|in) [the] {share} share [(on|of) [the] (nas|{nas})]",
      "how full is [the] {share} share [(on|of) [the] (nas|{nas})]",
    ],
    slots: { nas: "nas", share: "share", unseen: { type: "word", values: unseenByNas } },
    plan: (s) => [{ tool: "nas_status", args: s.nas ? { nas: s.nas } : {} }],
    answer: (s, outcomes) =>
      failure(outcomes, "reach the NAS") ??
      nasReport(outcomes[0]?.output, {
        unseen: typeof s.unseen === "string" ? s.unseen : undefined,
        share: typeof s.share === "string" ? s.share : undefined,
      }),
  }),
  intent({
    name: "nas.files",
    templates: [
      "(list|show|what) [are] [the] files (on|in) [the] {share} share [on the nas]",
      "(whats|what is) (on|in) [the] {share} share",
      "browse [the] {share} share",
      "(list|show|browse) [the] {share} share (on|of) [the] (nas|{nas})",
      "(whats|what is) (on|in) [the] {share} share (on|of) [the] (nas|{nas})",
    ],
    slots: { share: "share", nas: "nas" },
    plan: (s) => [{ tool: "nas_list_files", args: { share: s.share } }],
    answer: (s, outcomes) =>
      failure(outcomes, `list ${s.share}`) ?? `In ${s.share}: ${summarize(outcomes[0]?.output, "entry")}`,
  }),
  intent({
    name: "nas.mount",
    templates: ["mount [the] {share} share [from the nas]", "mount [the] nas share {share}"],
    slots: { share: "share" },
    plan: (s) => [{ tool: "nas_mount", args: { share: s.share } }],
    answer: (s, outcomes) =>
      failure(outcomes, `mount ${s.share}`) ?? `Mounted ${s.share}. ${summarize(outcomes[0]?.output)}`,
  }),
  intent({
    name: "nas.unmount",
    templates: ["(unmount|umount) {path}"],
    slots: { path: "path" },
    plan: (s) => [{ tool: "nas_unmount", args: { mountpoint: s.path } }],
    answer: (s, outcomes) => failure(outcomes, `unmount ${s.path}`) ?? `Unmounted ${s.path}.`,
  }),
];

export const backupIntents = [
  intent({
    name: "backup.list",
    templates: [
      "(list|show) [me] [the|my] backups [of|for {job}]",
      "when did [the] {job} [backup] last (succeed|run|work|complete)",
      "(did|has) [the] {job} backup (fail|failed|succeed|succeeded|run|work)",
      "(is|are) [the|my] {job} [backup|backups] (ok|working|up to date)",
      "(how are|status of|check) [the|my] backups",
      "(did|have) [the|my|last nights] backups (fail|failed|run|work|succeed)",
      "why did [the] [nightly] {job} backup fail [and how (do i|can i|to|should i) fix it]",
      "when did [the] {job} [backup|job] last (back up|backup|run)",
      "(backup|backups) status",
      "(are|is) [my|the] {job} backed up",
      "(list|show) [me] [the] {snapshots} (of|for) [the] {job} [backup]",
      "(which|what) {snapshots} (are there|do i have|does [the] {job} [backup] have) [of|for] [the] [{job}] [backup]",
      "when does [the] {job} [backup|job] run",
    ],
    slots: {
      job: "job",
      snapshots: { type: "word", values: { snapshots: "snapshots", "restore points": "snapshots" } },
    },
    plan: (s) => [{ tool: "backup_list", args: s.job ? { job: s.job } : {} }],
    answer: (s, outcomes) =>
      failure(outcomes, "list the backups") ??
      backupAnswer(outcomes[0]?.output, { snapshots: s.snapshots === "snapshots" }),
  }),
  intent({
    name: "backup.verify",
    templates: [
      "(verify|check|test) [the] {job} backup [integrity]",
      "(is|are) [the] {job} backup (intact|restorable|valid)",
      "check the integrity of [the] {job} [backup]",
    ],
    slots: { job: "job" },
    plan: (s) => [{ tool: "backup_verify", args: { job: s.job } }],
    answer: (s, outcomes) =>
      failure(outcomes, `verify ${s.job}`) ?? `Verified ${s.job}: ${summarize(outcomes[0]?.output)}`,
  }),
  intent({
    name: "backup.run",
    templates: [
      "(back up|backup|run [the] backup [of|for]|start [the] backup [of|for]) [the] {job} [backup|job] [now|please]",
      "run [the] {job} [backup] [job] [now]",
      "(run|start|rerun|retry|kick off) [the] {job} [backup] [job] (now|again)",
      "(back up|backup) [the] {job} again",
      "(rerun|retry|redo|repeat) [the] [last] {job} [backup|job|backup job] [now|again]",
    ],
    slots: { job: "job" },
    plan: (s) => [{ tool: "backup_run", args: { job: s.job } }],
    answer: (s, outcomes) =>
      failure(outcomes, `back up ${s.job}`) ??
      `Started the ${s.job} backup. ${summarize(outcomes[0]?.output)}`,
  }),
  intent({
    name: "backup.restore",
    templates: [
      "restore [the] [latest|last|yesterdays|most recent] [snapshot|backup] [of] [the] {job} [backup|snapshot] [to {path}]",
      "restore {job} [from the latest snapshot] [to {path}]",
      "restore [the] {job} snapshot {snapshot} [to {path}]",
      "bring back [the] {job} from [the] (latest|last) [good] backup [to {path}]",
      "restore [the] {job} snapshot {snapshot} over [the] live (config|data|files)",
    ],
    slots: { job: "job", path: "path", snapshot: "snapshot" },
    plan: (s) => [
      {
        tool: "backup_restore",
        args: { job: s.job, snapshot: s.snapshot ?? "latest", ...(s.path ? { target_path: s.path } : {}) },
      },
    ],
    answer: (s, outcomes) =>
      failure(outcomes, `restore ${s.job}`) ?? `Restored ${s.job}. ${summarize(outcomes[0]?.output)}`,
  }),
  intent({
    name: "db.list",
    templates: [
      "(list|show|which|what) [are] [the|my] databases [do i have|are there|are backed up]",
      "(which|what) databases (are you|do you) (backing up|back up)",
      "when was [the] {database} (database|db) last (dumped|backed up)",
      "how big is [the] {database} (database|db)",
    ],
    slots: { database: "database" },
    plan: () => [{ tool: "db_list", args: {} }],
    answer: (_s, outcomes) =>
      failure(outcomes, "list the databases") ?? summarize(outcomes[0]?.output, "database"),
  }),
  intent({
    name: "db.backup",
    templates: [
      "(back up|backup|dump|snapshot) [the] {database} (database|db) [now|please]",
      "(back up|backup|dump) [the] (database|db) {database} [now]",
      "take a (dump|backup|snapshot) of [the] {database} [database|db]",
    ],
    slots: { database: "database" },
    plan: (s) => [{ tool: "db_backup", args: { database: s.database } }],
    answer: (s, outcomes) =>
      failure(outcomes, `back up ${s.database}`) ??
      `Backed up the ${s.database} database. ${summarize(outcomes[0]?.output)}`,
  }),
  intent({
    name: "db.restore",
    templates: [
      "restore [the] {database} (database|db) (into|to|as) [a] [new] [database|db] [called|named] {target}",
      "restore [the] {database} (database|db) [from] [the] snapshot {snapshot}",
      "restore [the] {database} (database|db) [from {text}]",
      "roll [the] {database} (database|db) back [to {text}]",
    ],
    slots: { database: "database", text: "text", snapshot: "snapshot", target: "text" },
    plan: (s) => [
      {
        tool: "db_restore",
        args: {
          database: s.database,
          backup: s.snapshot ?? "latest",
          ...(s.target ? { target: String(s.target).replace(/\s+/g, "_") } : {}),
        },
      },
    ],
    answer: (s, outcomes) =>
      failure(outcomes, `restore ${s.database}`) ??
      `Restored the ${s.database} database${s.target ? ` into ${String(s.target).replace(/\s+/g, "_")}` : ""}.`,
  }),
];
