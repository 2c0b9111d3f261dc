import type * as React from "react";
import { BillingBanner } from "@/components/billing/billing-banner";
import { RealtimeProvider } from "@/components/realtime/realtime-provider";
import { AppShell } from "@/components/shell/app-shell";
import { getCurrentUser } from "@/lib/auth/current-user";
import { requireOrgContext } from "@/lib/auth/org-context";
import { findBillingNotice } from "@/lib/billing/find-billing-notice";
import { db } from "@/lib/db/client";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import { listProjects } from "@/lib/projects/list-projects";
import { latestEventSeq } from "@/lib/realtime/latest-event-seq";
import { realtimeClientConfig } from "@/lib/realtime/realtime-client-config";
import { listRecentSpecs } from "@/lib/specs/list-recent-specs";

/** Projects the sidebar lists, each with its latest specs under it when it is the current one. */
const SIDEBAR_PROJECTS = 8;

export default async function OrgLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const projectsWithSpecs = listProjects(db(), { actor, take: 50 }).then(async (projects) => ({
    projects,
    // Only the listed projects: the sidebar shows the current one's specs under it.
    specs: await listRecentSpecs(db(), {
      actor,
      projectIds: projects.slice(0, SIDEBAR_PROJECTS).map((p) => p.id),
    }),
  }));
  const [orgs, { projects, specs }, user, billingNotice, seq] = await Promise.all([
    listOrganizations(db(), actor.userId),
    projectsWithSpecs,
    getCurrentUser(actor.userId),
    findBillingNotice(db(), { orgId: actor.orgId }),
    latestEventSeq(db(), { actor }),
  ]);
  return (
    <RealtimeProvider
      key={org.id}
      orgSlug={org.slug}
      orgId={org.id}
      config={realtimeClientConfig()}
      initialSeq={seq}
    >
      <AppShell
        org={{ slug: org.slug, name: org.name, role: actor.role }}
        orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))}
        projects={projects.map((p) => ({ id: p.id, name: p.name }))}
        specs={specs}
        user={{ name: user.name, email: user.email }}
      >
        {billingNotice ? (
          <BillingBanner
            orgSlug={org.slug}
            message={billingNotice.message}
            billingPage={billingNotice.billingPage}
          />
        ) : null}
        {children}
      </AppShell>
    </RealtimeProvider>
  );
}
