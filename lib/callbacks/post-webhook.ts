import "server-only";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { blockedReason } from "@/lib/net/ip-address";
import { describeBlocked, hostOf, isAllowedHost, type Resolver, refusedAddress } from "./safe-url";

export type PostOutcome =
  | { kind: "response"; status: number }
  | { kind: "refused"; reason: string }
  | { kind: "network"; message: string };

/** Thrown from the lookup so the request fails before connecting; kept apart from network errors. */
class RefusedAddressError extends Error {}

/**
 * POSTs `body` to `url` and reports the status. The connection goes to the address our own
 * lookup resolved and checked (so the name cannot be re-pointed between check and connect); the
 * Host header and TLS SNI keep the URL's host name. Redirects are not followed (a 3xx is just a
 * status). Allowed hosts skip the address check but still go through the same lookup.
 */
export function postWebhook(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowedHosts: readonly string[];
  resolver: Resolver;
  timeoutMs?: number;
}): Promise<PostOutcome> {
  const url = new URL(options.url);
  const host = hostOf(url);
  const allowed = isAllowedHost(host, options.allowedHosts);
  if (isIP(host) && !allowed) {
    const reason = blockedReason(host);
    if (reason) return Promise.resolve({ kind: "refused", reason: describeBlocked(host, reason) });
  }

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    options.resolver(hostname).then(
      (addresses) => {
        const refused = allowed ? null : refusedAddress(addresses);
        const first = addresses[0];
        if (refused || !first) {
          callback(
            new RefusedAddressError(
              refused ? `${hostname} resolves to ${refused}` : `${hostname} did not resolve`,
            ),
            "",
          );
        } else if (lookupOptions.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, ""),
    );
  };

  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const request = transport.request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(options.body),
          "user-agent": "Trellis-Webhooks/1",
          ...options.headers,
        },
        lookup,
        // A fresh connection each time: a pooled socket would skip the lookup and its check.
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        ...(url.username
          ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
          : {}),
      },
      (response) => {
        // The body is not needed; read it away so the socket is released.
        response.resume();
        response.on("end", () => resolve({ kind: "response", status: response.statusCode ?? 0 }));
        response.on("error", (error) => resolve({ kind: "network", message: error.message }));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", (error) => {
      if (error instanceof RefusedAddressError) resolve({ kind: "refused", reason: error.message });
      else resolve({ kind: "network", message: error.message });
    });
    request.end(options.body);
  });
}
