import { AppError } from "@/lib/api/app-error";
import type { Role } from "@/lib/generated/prisma/enums";

/** Who is acting, in which organization, with which role. Every domain call takes one. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
  /**
   * Set when an API key acts (lib/api-keys/authenticate-api-key.ts): `userId` is then the key's
   * creator and `role` follows the key's scope; activity records it as an API action.
   */
  apiKeyId?: string;
}

/**
 * What each role may do. Viewers read; members create and change work; admins
 * manage members, keys and settings; owners also delete the organization and
 * change owners.
 */
export type Permission = "read" | "write" | "manage" | "own";

const rank: Record<Role, number> = { VIEWER: 0, MEMBER: 1, ADMIN: 2, OWNER: 3 };
const needed: Record<Permission, number> = { read: 0, write: 1, manage: 2, own: 3 };

export const roles: readonly Role[] = ["OWNER", "ADMIN", "MEMBER", "VIEWER"];

export function can(role: Role, permission: Permission): boolean {
  return rank[role] >= needed[permission];
}

/** Throws FORBIDDEN unless the actor's role grants the permission. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    const what = {
      read: "view this organization",
      write: "create or change anything",
      manage: "manage members and settings",
      own: "do this (owners only)",
    }[permission];
    throw new AppError("FORBIDDEN", `Your role (${actor.role.toLowerCase()}) cannot ${what}.`);
  }
}

/** True when `role` outranks or equals `other` (an admin cannot promote to owner). */
export function roleAtLeast(role: Role, other: Role): boolean {
  return rank[role] >= rank[other];
}
