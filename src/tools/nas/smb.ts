import type { NasDevice } from "../../config.ts";
import { JarvisError } from "../../errors.ts";
import type { RunProgram } from "../../exec/run-program.ts";
import type { SecretStore } from "../../secrets/store.ts";

export interface Share {
  name: string;
  type: string;
  comment: string;
}

export interface SmbEntry {
  name: string;
  type: "file" | "directory";
  sizeBytes: number;
  modified: string;
}

/** smbclient with the password by environment (PASSWD), never argv. */
export function createSmb(deps: { run: RunProgram; secrets: SecretStore; timeoutMs?: number }) {
  async function auth(
    nas: NasDevice,
  ): Promise<{ args: string[]; env: Record<string, string>; redact: string[] }> {
    if (!nas.username) return { args: ["-N"], env: {}, redact: [] };
    const password = await deps.secrets.require(nas.passwordSecret ?? `nas/${nas.name}`);
    // The user name is no secret; the password goes by PASSWD, which smbclient reads when -U has none.
    return {
      args: [`--user=${nas.username}`],
      env: { PASSWD: password.reveal() },
      redact: [password.reveal()],
    };
  }

  async function smbclient(nas: NasDevice, target: string[], signal?: AbortSignal) {
    const a = await auth(nas);
    try {
      return await deps.run("smbclient", [...target, "-p", String(nas.port), ...a.args], {
        env: a.env,
        redact: a.redact,
        timeoutMs: deps.timeoutMs ?? 20_000,
        signal,
      });
    } catch (error) {
      throw smbError(error, nas);
    }
  }

  return {
    async shares(nas: NasDevice, signal?: AbortSignal): Promise<Share[]> {
      const result = await smbclient(nas, ["-g", "-L", `//${nas.host}`], signal);
      return result.stdout
        .split("\n")
        .map((line) => line.split("|"))
        .filter((f) => f.length >= 2 && ["Disk", "Printer", "IPC"].includes(f[0]!))
        .map(([type, name, comment]) => ({ type: type!, name: name!, comment: comment ?? "" }));
    },
    async list(nas: NasDevice, share: string, path: string, signal?: AbortSignal): Promise<SmbEntry[]> {
      const dir = path.replace(/^\/+|\/+$/g, "");
      const result = await smbclient(
        nas,
        [`//${nas.host}/${share}`, "-c", `ls "${dir ? `${dir}/` : ""}*"`],
        signal,
      );
      return parseLs(result.stdout);
    },
    async capacity(nas: NasDevice, share: string, signal?: AbortSignal) {
      const result = await smbclient(nas, [`//${nas.host}/${share}`, "-c", "du"], signal);
      const m = /(\d+) blocks of size (\d+)\. (\d+) blocks available/.exec(result.stdout);
      if (!m) return undefined;
      const size = Number(m[1]) * Number(m[2]);
      const free = Number(m[3]) * Number(m[2]);
      return {
        sizeBytes: size,
        freeBytes: free,
        usedPercent: size ? Math.round(((size - free) / size) * 1000) / 10 : 0,
      };
    },
  };
}
export type Smb = ReturnType<typeof createSmb>;

/** smbclient's NT_STATUS codes, said plainly. */
function smbError(error: unknown, nas: NasDevice): unknown {
  if (!(error instanceof JarvisError) || error.code !== "tool_failed") return error;
  const where = `${nas.name} (${nas.host}:${nas.port})`;
  if (/NT_STATUS_LOGON_FAILURE|NT_STATUS_ACCESS_DENIED/.test(error.message)) {
    return new JarvisError(
      "denied",
      `The NAS ${where} refused the credentials (wrong user name or password)`,
      { cause: error },
    );
  }
  if (/NT_STATUS_BAD_NETWORK_NAME/.test(error.message)) {
    return new JarvisError("not_found", `The NAS ${where} has no such share`, { cause: error });
  }
  if (/NT_STATUS_OBJECT_(NAME|PATH)_NOT_FOUND|NT_STATUS_NO_SUCH_FILE/.test(error.message)) {
    return new JarvisError("not_found", `No such path on the NAS ${where}`, { cause: error });
  }
  if (
    /NT_STATUS_CONNECTION_REFUSED|NT_STATUS_HOST_UNREACHABLE|NT_STATUS_IO_TIMEOUT|NT_STATUS_UNSUCCESSFUL|Connection to .* failed/.test(
      error.message,
    )
  ) {
    return new JarvisError(
      "unavailable",
      `The NAS ${where} is unreachable (connection refused or timed out)`,
      { cause: error },
    );
  }
  return error;
}

/** Parses `ls` output: "  name   D   0  Fri Nov 27 04:00:00 2026". */
export function parseLs(stdout: string): SmbEntry[] {
  const out: SmbEntry[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^ {2}(.+?)\s+([A-Z]*)\s+(\d+)\s+(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})$/.exec(line);
    if (!m || m[1] === "." || m[1] === "..") continue;
    const when = new Date(`${m[4]}`);
    out.push({
      name: m[1]!,
      type: m[2]!.includes("D") ? "directory" : "file",
      sizeBytes: Number(m[3]),
      modified: Number.isNaN(when.getTime()) ? m[4]! : when.toISOString(),
    });
  }
  return out;
}
