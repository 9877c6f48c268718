/**
 * A Docker registry simulator speaking the pull side of the Registry HTTP API V2, so the Docker
 * engine pulls a real image from loopback (127.0.0.0/8 is an insecure registry by default, so
 * plain HTTP is allowed) where no registry can be reached.
 *
 * Follows the distribution spec (https://distribution.github.io/distribution/spec/api/ and
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pull):
 * - `GET /v2/` answers 200 with `Docker-Distribution-API-Version: registry/2.0` (the version check).
 * - `HEAD|GET /v2/<name>/manifests/<reference>` returns an image manifest V2 schema 2
 *   (https://distribution.github.io/distribution/spec/manifest-v2-2/) with its
 *   `Docker-Content-Digest`; an unknown name or tag is 404 `MANIFEST_UNKNOWN`.
 * - `GET /v2/<name>/blobs/<digest>` returns the config or gzipped layer blob; unknown is 404
 *   `BLOB_UNKNOWN`.
 * Every request is recorded, so a test can tell whether (and what) the engine pulled.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

export interface RegistryImage {
  /** Repository name, e.g. `jarvis-test/pulled`. */
  name: string;
  tag: string;
  /** The image config JSON (its rootfs.diff_ids must be the sha256 of each uncompressed layer). */
  config: Buffer;
  /** Uncompressed layer tarballs, bottom first. */
  layers: Buffer[];
  /**
   * Serve the manifest but not the layers (a registry that lost blobs): the pull fails midway. The
   * layers are compressed differently from any other image's, so the engine cannot reuse a blob it
   * already has and must ask for them.
   */
  withoutLayers?: boolean;
}

export interface RegistrySim {
  /** `127.0.0.1:<port>`, the registry part of an image reference. */
  host: string;
  requests: Array<{ method: string; path: string }>;
  stop(): Promise<void>;
}

const digest = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;
const manifestType = "application/vnd.docker.distribution.manifest.v2+json";

export async function startRegistrySim(images: RegistryImage[]): Promise<RegistrySim> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { body: Buffer; digest: string }>();
  for (const image of images) {
    const configDigest = digest(image.config);
    blobs.set(configDigest, image.config);
    const layers = image.layers.map((layer) => {
      const gz = gzipSync(layer, { level: image.withoutLayers ? 1 : 6 });
      const d = digest(gz);
      if (!image.withoutLayers) blobs.set(d, gz);
      return { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: gz.length, digest: d };
    });
    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: manifestType,
        config: {
          mediaType: "application/vnd.docker.container.image.v1+json",
          size: image.config.length,
          digest: configDigest,
        },
        layers,
      }),
    );
    const entry = { body, digest: digest(body) };
    manifests.set(`${image.name}:${image.tag}`, entry);
    manifests.set(`${image.name}:${entry.digest}`, entry);
  }

  const requests: RegistrySim["requests"] = [];
  const error = (code: string, message: string) =>
    JSON.stringify({ errors: [{ code, message, detail: null }] });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://registry").pathname;
    requests.push({ method: req.method ?? "GET", path });
    res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    if (path === "/v2/" || path === "/v2") {
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      return;
    }
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (manifest) {
      const found = manifests.get(`${manifest[1]}:${manifest[2]}`);
      if (!found) {
        res
          .writeHead(404, { "Content-Type": "application/json" })
          .end(error("MANIFEST_UNKNOWN", "manifest unknown"));
        return;
      }
      res.writeHead(200, {
        "Content-Type": manifestType,
        "Content-Length": found.body.length,
        "Docker-Content-Digest": found.digest,
      });
      res.end(req.method === "HEAD" ? undefined : found.body);
      return;
    }
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    const data = blob ? blobs.get(blob[2]!) : undefined;
    if (blob && data) {
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": data.length,
        "Docker-Content-Digest": blob[2],
      });
      res.end(req.method === "HEAD" ? undefined : data);
      return;
    }
    res
      .writeHead(404, { "Content-Type": "application/json" })
      .end(error("BLOB_UNKNOWN", "blob unknown to registry"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
