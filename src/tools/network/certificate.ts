import { checkServerIdentity, type DetailedPeerCertificate, type TLSSocket } from "node:tls";

/** What a site's certificate says, and whether a client should trust it. */
export interface CertificateFacts {
  subject: string | null;
  /** The names it is valid for (subjectAltName DNS and IP entries). */
  names: string[];
  issuer: string | null;
  validFrom: string;
  expires: string;
  /** Whole days until it expires (negative once expired). */
  daysToExpiry: number;
  selfSigned: boolean;
  /** Whether the chain verifies against the trusted CAs (the system store plus any configured CA). */
  chainValid: boolean;
  /** OpenSSL's reason when it does not (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED…). */
  chainError: string | null;
  hostnameMatch: boolean;
  /** Chain valid, hostname matches, not expired: what a browser would accept. */
  valid: boolean;
  /** Subjects from the leaf up, as the server sent them. */
  chain: string[];
  fingerprint256: string;
}

const dayMs = 86_400_000;

function nameOf(entity: Record<string, string | string[] | undefined> | undefined): string | null {
  if (!entity) return null;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const cn = pick(entity.CN);
  const org = pick(entity.O);
  if (org && cn && !cn.includes(org)) return `${org} ${cn}`;
  return cn ?? org ?? null;
}

/** `DNS:a.org, IP Address:10.0.0.1` → ["a.org", "10.0.0.1"]. */
export function altNames(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  return subjectaltname
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((n): n is string => Boolean(n));
}

/** Reads the peer certificate of a finished TLS handshake (verification was not enforced). */
export function certificateFacts(
  socket: TLSSocket,
  hostname: string,
  now = Date.now(),
): CertificateFacts | null {
  const cert = socket.getPeerCertificate(true) as DetailedPeerCertificate;
  if (!cert?.raw) return null;
  const expires = new Date(cert.valid_to);
  const daysToExpiry = Math.floor((expires.getTime() - now) / dayMs);
  const selfSigned = !cert.issuerCertificate || cert.issuerCertificate.fingerprint256 === cert.fingerprint256;
  const hostnameMatch = checkServerIdentity(hostname, cert) === undefined;
  const chainError = socket.authorized ? null : String(socket.authorizationError ?? "unverified");
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let node: DetailedPeerCertificate | undefined = cert; node && !seen.has(node.fingerprint256); ) {
    seen.add(node.fingerprint256);
    chain.push(nameOf(node.subject as never) ?? node.fingerprint256);
    node = node.issuerCertificate;
  }
  return {
    subject: nameOf(cert.subject as never),
    names: altNames(cert.subjectaltname),
    issuer: nameOf(cert.issuer as never),
    validFrom: new Date(cert.valid_from).toISOString(),
    expires: expires.toISOString(),
    daysToExpiry,
    selfSigned,
    chainValid: socket.authorized,
    chainError,
    hostnameMatch,
    valid: socket.authorized && hostnameMatch && expires.getTime() > now,
    chain,
    fingerprint256: cert.fingerprint256,
  };
}
