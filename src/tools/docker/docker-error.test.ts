import { describe, expect, it } from "vitest";
import { JarvisError } from "../../errors.ts";
import type { DockerHost } from "./client.ts";
import { dockerError, onHost } from "./docker-error.ts";

const host = {
  name: "nas-box",
  url: "tcp://10.0.0.5:2375",
  docker: { modem: { timeout: 50 } },
} as unknown as DockerHost;

/** The shape dockerode gives an HTTP error. */
const httpError = (statusCode: number, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) x - ${message}`), { statusCode, json: { message } });

describe("dockerError", () => {
  it("maps engine status codes to error codes with the engine's sentence", () => {
    const notFound = dockerError(httpError(404, "No such container: plex"), host, 'container "plex"');
    expect(notFound.code).toBe("not_found");
    expect(notFound.message).toBe('Not found: container "plex" on host nas-box: No such container: plex');
    expect(dockerError(httpError(409, "in use"), host).code).toBe("conflict");
    expect(dockerError(httpError(400, "bad"), host).code).toBe("invalid_input");
    expect(dockerError(httpError(500, "boom"), host).code).toBe("tool_failed");
  });

  it("calls socket failures unreachable and names the host and URL", () => {
    for (const code of ["ECONNREFUSED", "ENOENT", "ETIMEDOUT", "EHOSTUNREACH"]) {
      const error = dockerError(Object.assign(new Error(`connect ${code} 10.0.0.5:2375`), { code }), host);
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe(
        `Docker host "nas-box" (tcp://10.0.0.5:2375) is unreachable: connect ${code} 10.0.0.5:2375`,
      );
    }
  });

  it("passes JarvisErrors through and never puts a stack in the message", () => {
    const original = new JarvisError("conflict", "x");
    expect(dockerError(original, host)).toBe(original);
    expect(dockerError(new Error("weird"), host).message).not.toMatch(/\n\s+at /);
  });
});

describe("onHost", () => {
  it("turns a host that does not answer in time into unavailable", async () => {
    const never = (signal: AbortSignal) =>
      new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    const error = await onHost(host, new AbortController().signal, never, { deadlineMs: 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(JarvisError);
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(/nas-box.*no answer within 0 s/);
  });
});
