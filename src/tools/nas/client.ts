import type { NasDevice } from "../../config.ts";
import { JarvisError } from "../../errors.ts";
import type { RunProgram } from "../../exec/run-program.ts";
import type { SecretStore } from "../../secrets/store.ts";
import { createSmb, type Smb } from "./smb.ts";

export interface NasClient {
  devices: readonly NasDevice[];
  /** The device by name (the first when omitted); an unknown name lists the configured ones. */
  get(name?: string): NasDevice;
  smb: Smb;
  run: RunProgram;
  secrets: SecretStore;
  mountBase: string;
}

export function createNasClient(deps: {
  devices: readonly NasDevice[];
  run: RunProgram;
  secrets: SecretStore;
  mountBase: string;
}): NasClient {
  return {
    devices: deps.devices,
    get(name) {
      const found = name ? deps.devices.find((d) => d.name === name) : deps.devices[0];
      if (!found) {
        const known =
          deps.devices.map((d) => d.name).join(", ") || "none configured (nas.devices in jarvis.yaml)";
        throw new JarvisError("not_found", `No NAS "${name ?? ""}"; devices: ${known}`);
      }
      return found;
    },
    smb: createSmb({ run: deps.run, secrets: deps.secrets }),
    run: deps.run,
    secrets: deps.secrets,
    mountBase: deps.mountBase,
  };
}
