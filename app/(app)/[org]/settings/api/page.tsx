import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/api-reference";
import { PageHeader } from "@/components/shell/page-header";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { requireOrgContext } from "@/lib/auth/org-context";
import { appUrl } from "@/lib/env";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage({ params }: { params: Promise<{ org: string }> }) {
  const { org: orgSlug } = await params;
  const { org } = await requireOrgContext(orgSlug);
  const doc = buildOpenApiDocument(appUrl());
  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: "Settings", href: `/${org.slug}/settings` },
          { label: "API reference" },
        ]}
      />
      <main className="grid grid-cols-1 max-w-4xl gap-6 p-4 md:p-6">
        <div className="grid gap-1">
          <h1 className="font-semibold text-lg">API reference</h1>
          <p className="text-muted-foreground text-sm">
            The REST API of {org.name}, generated from the same schemas the API validates with.
            Create a key under Settings → API keys.
          </p>
        </div>
        <ApiReference doc={doc} />
      </main>
    </>
  );
}
