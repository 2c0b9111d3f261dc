import "server-only";
import { notFound } from "@/lib/api/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { limitReached } from "./limit-reached";
import { planLimits, planName } from "./plans";

/**
 * Inside the transaction that creates a project: refuses with LIMIT_REACHED when the
 * organization already has as many projects as its plan allows. Takes a transaction-scoped
 * advisory lock per organization first, so two projects created at once cannot both fit
 * into the last slot.
 */
export async function assertProjectRoom(
  tx: Prisma.TransactionClient,
  options: { orgId: string },
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`projects:${options.orgId}`}, 0))`;
  const org = await tx.organization.findUnique({
    where: { id: options.orgId },
    select: { slug: true, name: true, plan: true, _count: { select: { projects: true } } },
  });
  if (!org) throw notFound("Organization");
  const allowed = planLimits(org.plan).projects;
  const used = org._count.projects;
  if (allowed !== null && used >= allowed) {
    const plan = planName(org.plan);
    throw limitReached({
      orgSlug: org.slug,
      limit: "projects",
      plan: org.plan,
      used,
      allowed,
      message: `The ${plan} plan includes ${allowed} ${allowed === 1 ? "project" : "projects"}, and ${org.name} has ${used}.`,
      upgrade: "Upgrade to add more.",
    });
  }
}
