import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary } from "./binaries.ts";
import { freePort } from "./net.ts";
import { pidsWhere } from "./pids.ts";

export interface Samba {
  port: number;
  /** The directory the guest share "media" serves. */
  mediaDir: string;
  /** The share "backups" needs this SMB user and password (an account in the server's own passdb). */
  user: { name: string; password: string };
  stop(): Promise<void>;
}

/** An existing system account (Samba maps SMB users to Unix ones); Debian always has `daemon`. */
const smbUser = { name: "daemon", password: "backups-only-Pa55" };

const open = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

const helpersOf = (conf: string) => pidsWhere((args) => args.includes(`--configfile=${conf}`));

/** A real smbd on loopback, on a free port, with its own smb.conf and state in a temp directory. */
export async function startSamba(): Promise<Samba> {
  const smbd = requireBinary("smbd", "samba");
  const dir = mkdtempSync(join(tmpdir(), "jarvis-smbd-"));
  chmodSync(dir, 0o755);
  const media = join(dir, "media");
  mkdirSync(join(media, "movies"), { recursive: true, mode: 0o755 });
  chmodSync(media, 0o755);
  chmodSync(join(media, "movies"), 0o755);
  writeFileSync(join(media, "movies", "big-buck-bunny.mkv"), Buffer.alloc(123_456, 1), { mode: 0o644 });
  writeFileSync(join(media, "readme.txt"), "hello from samba\n", { mode: 0o644 });
  const backups = join(dir, "backups");
  mkdirSync(backups, { mode: 0o755 });
  chmodSync(backups, 0o755);
  writeFileSync(join(backups, "restic-config-example"), "only for daemon\n", { mode: 0o644 });
  for (const sub of ["private", "lock", "state", "cache", "pid", "ncalrpc"]) mkdirSync(join(dir, sub));
  const port = await freePort();
  const conf = join(dir, "smb.conf");
  writeFileSync(
    conf,
    `[global]
  workgroup = JARVIS
  server role = standalone server
  smb ports = ${port}
  interfaces = 127.0.0.1
  bind interfaces only = yes
  private dir = ${dir}/private
  lock directory = ${dir}/lock
  state directory = ${dir}/state
  cache directory = ${dir}/cache
  pid directory = ${dir}/pid
  ncalrpc dir = ${dir}/ncalrpc
  log file = ${dir}/log.%m
  map to guest = Never
  guest account = nobody
  load printers = no
  disable spoolss = yes
[media]
  path = ${media}
  guest ok = yes
  read only = yes
  comment = Media library
[backups]
  path = ${backups}
  valid users = ${smbUser.name}
  read only = yes
  comment = Backups (password)
`,
  );
  // The SMB password lives in this server's own passdb (private dir), set through smbpasswd's stdin.
  await new Promise<void>((resolve, reject) => {
    const add = spawn(requireBinary("smbpasswd", "samba"), ["-c", conf, "-a", "-s", smbUser.name], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let err = "";
    add.stderr.on("data", (d) => (err += d));
    add.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`smbpasswd failed: ${err}`))));
    add.stdin.end(`${smbUser.password}\n${smbUser.password}\n`);
  });
  // Its own session and group (smbd signals its whole group when it shuts down); --no-process-group
  // because it is a group leader already.
  const child: ChildProcess = spawn(smbd, ["--foreground", "--no-process-group", "-s", conf], {
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  for (let i = 0; i < 150 && !exited; i++) {
    if (await open(port)) {
      return {
        port,
        mediaDir: media,
        user: smbUser,
        stop: async () => {
          if (!exited) {
            const done = new Promise((r) => child.on("exit", r));
            child.kill("SIGTERM");
            await done;
          }
          // smbd starts samba-dcerpcd helpers on demand in sessions of their own; stop the ones
          // that run with this server's smb.conf (found by pid, nothing else is touched).
          for (const pid of helpersOf(conf)) {
            try {
              process.kill(pid, "SIGTERM");
            } catch {
              // already gone
            }
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`smbd did not start on port ${port} (see ${dir}/log.smbd)`);
}
