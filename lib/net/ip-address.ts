// Which IP addresses a server-side request may reach. Used by the callback SSRF guard
// (lib/callbacks/safe-url.ts): only globally routable unicast addresses count as public.
import { isIPv4, isIPv6 } from "node:net";

/** Why an address is not public, in words for an error message. */
export type BlockedReason =
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "carrier-grade NAT"
  | "cloud metadata"
  | "IPv4-mapped IPv6"
  | "IPv4-embedding IPv6"
  | "unique local"
  | "multicast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "broadcast";

function ipv4ToInt(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

const v4 = (cidr: string, reason: BlockedReason) => {
  const [base = "", bits = "32"] = cidr.split("/");
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ipv4ToInt(base) / size) * size;
  return { start, end: start + size - 1, reason };
};

// Most specific first: the first match names the reason.
const blockedV4 = [
  v4("169.254.169.254/32", "cloud metadata"),
  v4("255.255.255.255/32", "broadcast"),
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "carrier-grade NAT"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "benchmarking"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("240.0.0.0/4", "reserved"),
];

function classifyIpv4(address: string): BlockedReason | null {
  const n = ipv4ToInt(address);
  return blockedV4.find((r) => n >= r.start && n <= r.end)?.reason ?? null;
}

/** The eight 16-bit groups of an IPv6 address (with `::` expanded and a dotted IPv4 tail split). */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const n = ipv4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function startsWith(groups: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyIpv6(address: string): BlockedReason | null {
  const g = ipv6Groups(address);
  const isZero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (isZero(0, 8)) return "unspecified";
  if (isZero(0, 7) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d reaches the IPv4 address; refused whatever it is (and ::a.b.c.d, deprecated).
  if (isZero(0, 5) && g[5] === 0xffff) return "IPv4-mapped IPv6";
  if (isZero(0, 6)) return "IPv4-mapped IPv6";
  // fd00:ec2::254, AWS's metadata service over IPv6.
  if (startsWith(g, [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254], 128)) return "cloud metadata";
  // NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32) carry IPv4
  // addresses a gateway would reach for us.
  if (startsWith(g, [0x64, 0xff9b], 32)) return "IPv4-embedding IPv6";
  if (startsWith(g, [0x2002], 16)) return "IPv4-embedding IPv6";
  if (startsWith(g, [0x2001, 0], 32)) return "IPv4-embedding IPv6";
  if (startsWith(g, [0x2001, 0x0db8], 32)) return "documentation";
  if (startsWith(g, [0x0100, 0, 0, 0], 64)) return "reserved";
  if (startsWith(g, [0xfc00], 7)) return "unique local";
  if (startsWith(g, [0xfe80], 10)) return "link-local";
  if (startsWith(g, [0xfec0], 10)) return "private";
  if (startsWith(g, [0xff00], 8)) return "multicast";
  return null;
}

/** Null for a public address; otherwise why it may not be reached. Throws on a non-IP string. */
export function blockedReason(address: string): BlockedReason | null {
  const bare = address.replace(/^\[|\]$/g, "");
  if (isIPv4(bare)) return classifyIpv4(bare);
  if (isIPv6(bare)) return classifyIpv6(bare);
  throw new Error(`not an IP address: ${address}`);
}
