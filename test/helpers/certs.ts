import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A key and certificate in PEM. */
export interface Pem {
  key: string;
  cert: string;
}

/**
 * Certificates for tests, made by the openssl command line (argument arrays, never a shell): a test CA
 * and leaf certificates it signs, plus self-signed ones. P-256 keys keep generation fast.
 */
export async function createTestPki() {
  const dir = await mkdtemp(join(tmpdir(), "jarvis-pki-"));
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const caKey = join(dir, "ca.key");
  const caCert = join(dir, "ca.crt");
  await run("openssl", [
    "req",
    "-x509",
    ...ecKey,
    "-days",
    "3650",
    "-subj",
    "/O=Jarvis Test/CN=Jarvis Test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout",
    caKey,
    "-out",
    caCert,
  ]);
  let serial = 0;
  return {
    ca: await readFile(caCert, "utf8"),
    /** A leaf for `names` signed by the test CA, valid for `days` from now. */
    async leaf(names: string[], days: number): Promise<Pem> {
      const base = join(dir, `leaf-${++serial}`);
      await writeFile(
        `${base}.ext`,
        `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}\nextendedKeyUsage=serverAuth\n`,
      );
      await run("openssl", [
        "req",
        "-new",
        ...ecKey,
        "-subj",
        `/CN=${names[0]}`,
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.csr`,
      ]);
      await run("openssl", [
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        caCert,
        "-CAkey",
        caKey,
        "-set_serial",
        String(1000 + serial),
        "-days",
        String(days),
        "-extfile",
        `${base}.ext`,
        "-out",
        `${base}.crt`,
      ]);
      return { key: await readFile(`${base}.key`, "utf8"), cert: await readFile(`${base}.crt`, "utf8") };
    },
    /** A certificate that signs itself, for `name`. */
    async selfSigned(name: string, days: number): Promise<Pem> {
      const base = join(dir, `self-${++serial}`);
      await run("openssl", [
        "req",
        "-x509",
        ...ecKey,
        "-days",
        String(days),
        "-subj",
        `/CN=${name}`,
        "-addext",
        `subjectAltName=DNS:${name}`,
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.crt`,
      ]);
      return { key: await readFile(`${base}.key`, "utf8"), cert: await readFile(`${base}.crt`, "utf8") };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
export type TestPki = Awaited<ReturnType<typeof createTestPki>>;
