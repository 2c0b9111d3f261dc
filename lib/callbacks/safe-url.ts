// The SSRF guard for callback URLs: a callback may only reach a public address, checked when the
// URL is given (request time) and again on every delivery after DNS resolution (so a name that
// later resolves somewhere private — DNS rebinding — is refused too). Hosts an organization lists
// in its settings (allowedCallbackHosts) skip the address check, for receivers on its own network.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { type BlockedReason, blockedReason } from "@/lib/net/ip-address";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests need no real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

let injectedResolver: Resolver | undefined;

/** Replaces the resolver callbacks use (tests); `undefined` restores the system resolver. */
export function setCallbackResolver(resolver: Resolver | undefined): void {
  injectedResolver = resolver;
}

export function callbackResolver(): Resolver {
  return injectedResolver ?? systemResolver;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The URL's host as a bare name or address (IPv6 without brackets), lower-case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

/** True when `host` is listed: exactly, or under a `*.example.com` entry. */
export function isAllowedHost(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith("*.") ? host.endsWith(e.slice(1)) : host === e.replace(/^\[|\]$/g, "");
  });
}

export function describeBlocked(address: string, reason: BlockedReason): string {
  const article = /^(IPv|unspecified)/.test(reason) ? "an" : "a";
  return `${address}, ${article} ${reason} address`;
}

/** Checks addresses a host resolved to; null when every one is public. */
export function refusedAddress(addresses: readonly ResolvedAddress[]): string | null {
  for (const { address } of addresses) {
    const reason = blockedReason(address);
    if (reason) return describeBlocked(address, reason);
  }
  return null;
}

/**
 * Parses a callback URL (WHATWG URL parsing turns decimal, hexadecimal, octal and short IPv4
 * forms such as http://2130706433/ or http://0x7f000001/ into 127.0.0.1 first) and refuses it
 * unless it is http(s) and its host is allowed or resolves only to public addresses.
 */
export async function checkCallbackUrl(
  text: string,
  options: { allowedHosts: readonly string[]; resolver?: Resolver },
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: "must use http or https" };
  }
  const host = hostOf(url);
  if (isAllowedHost(host, options.allowedHosts)) return { ok: true, url };
  if (isIP(host)) {
    const reason = blockedReason(host);
    return reason
      ? { ok: false, reason: `points at ${describeBlocked(host, reason)}` }
      : { ok: true, url };
  }
  if (host === "localhost" || host.endsWith(".localhost")) {
    return { ok: false, reason: `points at ${host}, a loopback name` };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.resolver ?? callbackResolver())(host);
  } catch {
    return { ok: false, reason: `has a host that does not resolve (${host})` };
  }
  if (addresses.length === 0)
    return { ok: false, reason: `has a host that does not resolve (${host})` };
  const refused = refusedAddress(addresses);
  return refused ? { ok: false, reason: `resolves to ${refused} (${host})` } : { ok: true, url };
}
