import "server-only";
import { AppError } from "@/lib/api/app-error";
import type { Db } from "@/lib/db/client";
import type { ApiKeyScope, Role } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/orgs/roles";
import { hashSecret } from "@/lib/utils/secret-token";
import { isWellFormedApiKey } from "./key-format";

/** lastUsedAt is written at most this often per key, so busy keys do not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const scopeRole: Record<ApiKeyScope, Role> = { READ: "VIEWER", WRITE: "MEMBER", ADMIN: "ADMIN" };
const scopeRank: Record<ApiKeyScope, number> = { READ: 0, WRITE: 1, ADMIN: 2 };

/** The widest of a key's scopes, as the role its requests act with. */
export function roleOfScopes(scopes: readonly ApiKeyScope[]): Role {
  const widest = [...scopes].sort((a, b) => scopeRank[b] - scopeRank[a])[0];
  return widest ? scopeRole[widest] : "VIEWER";
}

const unauthenticated = (message: string) => new AppError("UNAUTHENTICATED", message);

/**
 * The actor behind `Authorization: Bearer <key>`: the key's organization, a role from its scope,
 * and its creator as the person it acts for. Missing, malformed, unknown, revoked and expired
 * keys are UNAUTHENTICATED; a malformed key is refused by its checksum without a query.
 */
export async function authenticateApiKey(
  db: Db,
  options: { authorization: string | null; now?: Date },
): Promise<{ actor: Actor; key: { id: string; name: string } }> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(options.authorization ?? "");
  if (!match?.[1]) {
    throw unauthenticated("Send an API key in the Authorization header: Bearer trl_…");
  }
  const token = match[1];
  if (!isWellFormedApiKey(token)) {
    throw unauthenticated("This is not a valid Trellis API key (check that it was copied whole).");
  }
  const key = await db.apiKey.findUnique({
    where: { hash: hashSecret(token) },
    select: {
      id: true,
      orgId: true,
      name: true,
      scopes: true,
      createdById: true,
      lastUsedAt: true,
      expiresAt: true,
      revokedAt: true,
    },
  });
  const now = options.now ?? new Date();
  if (!key) throw unauthenticated("Unknown API key.");
  if (key.revokedAt) throw unauthenticated("This API key was revoked.");
  if (key.expiresAt && key.expiresAt <= now) throw unauthenticated("This API key has expired.");
  // A key acts for the person who created it (activity, authorship); without one it cannot act.
  if (!key.createdById) {
    throw unauthenticated(
      "The person who created this API key no longer exists; create a new key.",
    );
  }
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent requests of one key write once per minute between them.
    await db.apiKey.updateMany({
      where: {
        id: key.id,
        OR: [
          { lastUsedAt: null },
          { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } },
        ],
      },
      data: { lastUsedAt: now },
    });
  }
  return {
    actor: {
      userId: key.createdById,
      orgId: key.orgId,
      role: roleOfScopes(key.scopes),
      apiKeyId: key.id,
    },
    key: { id: key.id, name: key.name },
  };
}
