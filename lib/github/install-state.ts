// The `state` of the GitHub App installation round trip: it binds the organization, the person
// who started the installation and an expiry, signed with an HMAC, so the setup callback attaches
// an installation only to the organization that asked for it, for the person who asked.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "@/lib/api/app-error";

export interface InstallState {
  orgId: string;
  userId: string;
  /** Unix milliseconds after which the state is refused. */
  expiresAt: number;
}

/** Long enough to pick repositories on GitHub's page, short enough that a leaked link goes stale. */
export const INSTALL_STATE_TTL_MS = 60 * 60 * 1000;

// A key of its own, derived from the auth secret, so a state can never pass for a session token.
const keyOf = (secret: string) =>
  createHmac("sha256", secret).update("trellis:github-install-state").digest();

const mac = (secret: string, payload: string) =>
  createHmac("sha256", keyOf(secret)).update(payload).digest();

/** `<payload>.<signature>`, both base64url. */
export function signInstallState(
  secret: string,
  options: { orgId: string; userId: string; now?: number },
): string {
  const now = options.now ?? Date.now();
  const payload = Buffer.from(
    JSON.stringify({
      o: options.orgId,
      u: options.userId,
      e: now + INSTALL_STATE_TTL_MS,
      n: randomBytes(8).toString("hex"),
    }),
  ).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

const refused = (reason: string) =>
  new AppError("FORBIDDEN", `This GitHub installation link cannot be used: ${reason}`);

/** The state's organization and person; FORBIDDEN when it was altered, forged or has expired. */
export function verifyInstallState(
  secret: string,
  state: string,
  now: number = Date.now(),
): InstallState {
  const [payload, signature, extra] = state.split(".");
  if (!payload || !signature || extra !== undefined) throw refused("it is malformed.");
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refused("its signature does not match.");
  }
  let parsed: { o?: unknown; u?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw refused("it is malformed.");
  }
  if (
    typeof parsed.o !== "string" ||
    typeof parsed.u !== "string" ||
    typeof parsed.e !== "number"
  ) {
    throw refused("it is malformed.");
  }
  if (parsed.e <= now) throw refused("it has expired. Start again from Settings.");
  return { orgId: parsed.o, userId: parsed.u, expiresAt: parsed.e };
}
