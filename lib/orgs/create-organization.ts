import "server-only";
import { z } from "zod";
import { recordActivity } from "@/lib/activity/record-activity";
import { unpaidPlan } from "@/lib/billing/plans";
import type { Db } from "@/lib/db/client";
import { stripeEnabled } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { uniqueOrgSlug } from "./unique-org-slug";

export const createOrganizationSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(80, "Name must be at most 80 characters"),
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationSchema>;

interface Options {
  userId: string;
  input: CreateOrganizationInput;
  personal?: boolean;
}

/**
 * Creates an organization with the user as its owner, on the Free plan, or on Self-hosted (no
 * plan limits) while billing is off on this server.
 */
export async function createOrganization(db: Db, options: Options) {
  return db.$transaction((tx) => insertOrganization(tx, options));
}

/** The same, inside a caller's transaction (sign-up creates user and organization together). */
export async function insertOrganization(tx: Prisma.TransactionClient, options: Options) {
  const slug = await uniqueOrgSlug(tx, options.input.name);
  const org = await tx.organization.create({
    data: {
      name: options.input.name,
      slug,
      personal: options.personal ?? false,
      plan: unpaidPlan(stripeEnabled()),
      memberships: { create: { userId: options.userId, role: "OWNER" } },
    },
    select: { id: true, name: true, slug: true },
  });
  await recordActivity(tx, {
    orgId: org.id,
    type: "org.created",
    actorId: options.userId,
    data: { name: org.name },
  });
  return org;
}
