import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type Docker from "dockerode";
import { requireBinary } from "./binaries.ts";

/** An image's config and uncompressed layers, read from `docker save` of an image the engine has. */
export async function savedImage(docker: Docker, ref: string): Promise<{ config: Buffer; layers: Buffer[] }> {
  const dir = await mkdtemp(join(tmpdir(), "jarvis-saved-image-"));
  try {
    const stream = await docker.getImage(ref).get();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    await writeFile(join(dir, "image.tar"), Buffer.concat(chunks));
    await promisify(execFile)(requireBinary("tar", "tar"), ["-C", dir, "-xf", join(dir, "image.tar")]);
    const [manifest] = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Array<{
      Config: string;
      Layers: string[];
    }>;
    return {
      config: await readFile(join(dir, manifest!.Config)),
      layers: await Promise.all(manifest!.Layers.map((layer) => readFile(join(dir, layer)))),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
