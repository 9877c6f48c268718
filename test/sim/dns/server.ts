import { createSocket, type RemoteInfo } from "node:dgram";
import { isIPv4, isIPv6 } from "node:net";

/**
 * A small authoritative DNS server over UDP for tests, written from RFC 1035 (section 4: the message
 * format: header 4.1.1, question 4.1.2, resource records 4.1.3, name compression 4.1.4) and RFC 3596
 * (AAAA, type 28). It answers A, AAAA and CNAME from a zone the test can change, follows CNAMEs inside
 * the zone the way a recursive resolver returns them (the CNAME, then the target's records), and says
 * NXDOMAIN for names outside it. Any other query type gets an empty NOERROR answer.
 */

export interface ZoneRecord {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
}

const TYPE = { A: 1, CNAME: 5, AAAA: 28 } as const;
const CLASS_IN = 1;
const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4 } as const;

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it in the message. */
function readName(message: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let next = -1;
  for (let jumps = 0; jumps < 32; jumps++) {
    const length = message[offset];
    if (length === undefined) throw new Error("truncated name");
    if ((length & 0xc0) === 0xc0) {
      if (next < 0) next = offset + 2;
      offset = ((length & 0x3f) << 8) | message[offset + 1]!;
      continue;
    }
    if (length === 0) return { name: labels.join("."), next: next < 0 ? offset + 1 : next };
    labels.push(message.toString("latin1", offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  throw new Error("compression loop");
}

function encodeName(name: string): Buffer {
  const parts = name.split(".").filter(Boolean);
  return Buffer.concat([
    ...parts.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, "latin1")])),
    Buffer.from([0]),
  ]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  const out = Buffer.alloc(16);
  for (const [i, group] of groups.entries()) out.writeUInt16BE(Number.parseInt(group || "0", 16), i * 2);
  return out;
}

/** One resource record (RFC 1035 4.1.3): NAME TYPE CLASS TTL RDLENGTH RDATA. */
function record(name: Buffer, type: number, rdata: Buffer, ttl = 60): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, fixed, rdata]);
}

/** Builds the answer section for one question, following in-zone CNAMEs. */
export function answer(
  zone: ReadonlyMap<string, ZoneRecord>,
  qname: string,
  qtype: number,
): { rcode: number; records: Buffer[] } {
  const records: Buffer[] = [];
  let name = qname.toLowerCase();
  // The question's name is at offset 12 of every query: point there (4.1.4) for the first owner.
  let owner: Buffer = Buffer.from([0xc0, 0x0c]);
  for (let hops = 0; hops < 8; hops++) {
    const entry = zone.get(name);
    if (!entry) return { rcode: hops === 0 ? RCODE.NXDOMAIN : RCODE.NOERROR, records };
    if (entry.CNAME) {
      records.push(record(owner, TYPE.CNAME, encodeName(entry.CNAME)));
      if (qtype === TYPE.CNAME) return { rcode: RCODE.NOERROR, records };
      name = entry.CNAME.toLowerCase();
      owner = encodeName(name);
      continue;
    }
    if (qtype === TYPE.A)
      for (const ip of entry.A ?? [])
        if (isIPv4(ip)) records.push(record(owner, TYPE.A, Buffer.from(ip.split(".").map(Number))));
    if (qtype === TYPE.AAAA)
      for (const ip of entry.AAAA ?? [])
        if (isIPv6(ip)) records.push(record(owner, TYPE.AAAA, ipv6Bytes(ip)));
    return { rcode: RCODE.NOERROR, records };
  }
  return { rcode: RCODE.NOERROR, records };
}

/** The reply to one query message, or undefined for a message that is not a query. */
export function reply(zone: ReadonlyMap<string, ZoneRecord>, query: Buffer): Buffer | undefined {
  if (query.length < 12) return undefined;
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // QR set: a response, not a query
  const opcode = (flags >> 11) & 0xf;
  const rd = flags & 0x0100;
  const header = (rcode: number, qd: number, an: number) => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(id, 0);
    // QR=1, opcode echoed, AA=1, RD echoed, RA=1, RCODE.
    h.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | rd | 0x0080 | rcode, 2);
    h.writeUInt16BE(qd, 4);
    h.writeUInt16BE(an, 6);
    return h;
  };
  if (opcode !== 0) return header(RCODE.NOTIMP, 0, 0);
  if (query.readUInt16BE(4) !== 1) return header(RCODE.FORMERR, 0, 0);
  let question: { name: string; next: number };
  try {
    question = readName(query, 12);
  } catch {
    return header(RCODE.FORMERR, 0, 0);
  }
  const qtype = query.readUInt16BE(question.next);
  const questionBytes = query.subarray(12, question.next + 4);
  const { rcode, records } = answer(zone, question.name, qtype);
  return Buffer.concat([header(rcode, 1, records.length), questionBytes, ...records]);
}

/** A running server: `zone` can be changed between queries; `queries` counts what it answered. */
export interface DnsSim {
  address: string;
  port: number;
  /** `127.0.0.1:<port>`, for a resolver's server list. */
  server: string;
  zone: Map<string, ZoneRecord>;
  queries: number;
  close(): Promise<void>;
}

export async function startDnsSim(zone: Record<string, ZoneRecord> = {}): Promise<DnsSim> {
  const socket = createSocket("udp4");
  const sim: DnsSim = {
    address: "127.0.0.1",
    port: 0,
    server: "",
    zone: new Map(Object.entries(zone).map(([name, entry]) => [name.toLowerCase(), entry])),
    queries: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on("message", (message: Buffer, from: RemoteInfo) => {
    const out = reply(sim.zone, message);
    if (!out) return;
    sim.queries++;
    socket.send(out, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  sim.port = socket.address().port;
  sim.server = `127.0.0.1:${sim.port}`;
  return sim;
}
