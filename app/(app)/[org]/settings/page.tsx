import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { CallbackDeliveries } from "@/components/settings/callback-deliveries";
import { CallbacksPanel } from "@/components/settings/callbacks-panel";
import { GithubPanel } from "@/components/settings/github-panel";
import { IntakeRulesPanel } from "@/components/settings/intake-rules-panel";
import { InvitePanel } from "@/components/settings/invite-panel";
import { MembersPanel } from "@/components/settings/members-panel";
import { ModelsPanel } from "@/components/settings/models-panel";
import { RunnersPanel } from "@/components/settings/runners-panel";
import { SettingsNav } from "@/components/settings/settings-nav";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { getModelRouting } from "@/lib/agents/get-model-routing";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { requireOrgContext } from "@/lib/auth/org-context";
import { planName } from "@/lib/billing/plans";
import { getCallbackConfig } from "@/lib/callbacks/get-callback-config";
import { listCallbackDeliveries } from "@/lib/callbacks/list-callback-deliveries";
import { db } from "@/lib/db/client";
import { appUrl, githubAppEnabled } from "@/lib/env";
import { listGithubRepositories } from "@/lib/github/list-github-repositories";
import { listIntakeRules } from "@/lib/intake/list-intake-rules";
import { listMembers } from "@/lib/orgs/list-members";
import { can, roleAtLeast, roles } from "@/lib/orgs/roles";
import { listRunners } from "@/lib/runners/list-runners";

export const metadata: Metadata = { title: "Settings" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const capitalize = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

export default async function SettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ github?: string }>;
}) {
  const { org: orgSlug } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const { members, invitations } = await listMembers(db(), { actor });
  const canManage = can(actor.role, "manage");
  const [apiKeys, intakeRules, callbacks, modelRouting, deliveries] = await Promise.all([
    listApiKeys(db(), { actor }),
    listIntakeRules(db(), { actor }),
    getCallbackConfig(db(), { actor }),
    getModelRouting(db(), { actor }),
    // Callback URLs often carry a token: admins and owners only.
    canManage ? listCallbackDeliveries(db(), { actor }) : null,
  ]);
  const now = new Date();
  const runners = await listRunners(db(), { actor });
  // Nobody can hand out a role above their own (the domain enforces it too).
  const assignableRoles = roles.filter((r) => roleAtLeast(actor.role, r));
  const githubConfigured = githubAppEnabled();
  const githubInstallations = githubConfigured ? await listGithubRepositories(db(), { actor }) : [];

  return (
    <>
      <PageHeader
        crumbs={[{ label: org.name, href: `/${org.slug}/projects` }, { label: "Settings" }]}
      />
      {/* From xl up the section links sit in a second column, beside every section. */}
      <main className="grid max-w-4xl grid-cols-1 gap-10 p-4 md:p-6 xl:max-w-[69rem] xl:grid-cols-[minmax(0,1fr)_11rem] xl:gap-x-10 [&>:not(nav)]:col-start-1 [&_h2]:scroll-mt-16">
        <h1 className="font-semibold text-lg">Settings</h1>
        <SettingsNav />

        <section aria-labelledby="general" className="grid gap-3">
          <h2 id="general" className="font-medium text-sm">
            General
          </h2>
          <dl className="grid max-w-xl grid-cols-[8rem_1fr] gap-x-4 gap-y-2 rounded-lg border p-4 text-dense">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{org.name}</dd>
            <dt className="text-muted-foreground">URL slug</dt>
            <dd className="font-mono text-xs leading-5">/{org.slug}</dd>
            <dt className="text-muted-foreground">Plan</dt>
            <dd>
              <Badge variant="outline">{planName(org.plan)}</Badge>
              {org.personal ? (
                <span className="ml-2 text-muted-foreground text-xs">Personal workspace</span>
              ) : null}
              <Link
                href={`/${org.slug}/settings/billing`}
                className="ml-2 text-xs underline underline-offset-4 hover:no-underline"
              >
                Billing and usage
              </Link>
            </dd>
            <dt className="text-muted-foreground">Your role</dt>
            <dd>{capitalize(actor.role)}</dd>
          </dl>
          <div>
            <Button asChild variant="outline" size="sm">
              <Link href="/orgs/new">
                <Plus aria-hidden="true" /> New organization
              </Link>
            </Button>
          </div>
        </section>

        <section aria-labelledby="members" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="members" className="font-medium text-sm">
              Members <span className="font-normal text-muted-foreground">({members.length})</span>
            </h2>
            <p className="text-muted-foreground text-sm">
              Viewers read; members file and change work; admins manage members and settings; owners
              can also change owners.
            </p>
          </div>
          <MembersPanel
            orgName={org.name}
            assignableRoles={assignableRoles}
            members={members.map((m) => {
              const isSelf = m.user.id === actor.userId;
              const manageable = canManage && !isSelf && roleAtLeast(actor.role, m.role);
              return {
                id: m.id,
                name: m.user.name,
                email: m.user.email,
                role: m.role,
                isSelf,
                editable: manageable,
                removable: manageable,
              };
            })}
          />
        </section>

        <section aria-labelledby="invitations" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="invitations" className="font-medium text-sm">
              Invitations
            </h2>
            <p className="text-muted-foreground text-sm">
              {canManage
                ? "Create a link for the role you want to give and send it to your teammate. Each link works once and expires in 7 days."
                : "Open invite links. Admins and owners can create and revoke them."}
            </p>
          </div>
          <InvitePanel
            appUrl={appUrl()}
            canManage={canManage}
            assignableRoles={assignableRoles}
            invitations={invitations.map((inv) => ({
              id: inv.id,
              role: inv.role,
              createdAt: inv.createdAt.toISOString(),
              createdLabel: dateFormat.format(inv.createdAt),
              expiresAt: inv.expiresAt.toISOString(),
              expiresLabel: dateTimeFormat.format(inv.expiresAt),
            }))}
          />
        </section>

        <section aria-labelledby="runners" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="runners" className="font-medium text-sm">
              Self-hosted runners
            </h2>
            <p className="text-muted-foreground text-sm">
              Run agents on your own machines: the runner clones the repository there and pushes the
              branches; no source code reaches Trellis. Pin a project to runner labels in its
              settings.
            </p>
          </div>
          <RunnersPanel
            appUrl={appUrl()}
            canManage={canManage}
            runners={runners.map((r) => ({
              id: r.id,
              name: r.name,
              labels: r.labels,
              tokenPrefix: r.tokenPrefix,
              lastSeenLabel: r.lastHeartbeatAt ? dateTimeFormat.format(r.lastHeartbeatAt) : "Never",
            }))}
          />
        </section>

        <section aria-labelledby="models" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="models" className="font-medium text-sm">
              Models
            </h2>
            <p className="text-muted-foreground text-sm">
              The model each step of a spec uses, with a fallback for when it stays unavailable.
              Every call records its tokens and cost on{" "}
              <Link href={`/${org.slug}/settings/billing`} className="underline underline-offset-2">
                Billing and usage
              </Link>
              .
            </p>
          </div>
          <ModelsPanel
            canManage={canManage}
            entries={modelRouting.entries}
            knownModels={modelRouting.knownModels}
          />
        </section>

        <section aria-labelledby="api-keys" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="api-keys" className="font-medium text-sm">
              API keys
            </h2>
            <p className="text-muted-foreground text-sm">
              Keys let CI and scripts use the REST API as this organization. Read keys only read;
              write keys also file and change work. See the{" "}
              <Link href={`/${org.slug}/settings/api`} className="underline underline-offset-2">
                API reference
              </Link>
              .
            </p>
          </div>
          <ApiKeysPanel
            canManage={canManage}
            keys={apiKeys.map((k) => ({
              id: k.id,
              name: k.name,
              prefix: k.prefix,
              scope: k.scopes.includes("ADMIN")
                ? "ADMIN"
                : k.scopes.includes("WRITE")
                  ? "WRITE"
                  : "READ",
              createdBy: k.createdBy?.name ?? k.createdBy?.email ?? null,
              createdLabel: dateFormat.format(k.createdAt),
              lastUsedLabel: k.lastUsedAt ? dateTimeFormat.format(k.lastUsedAt) : null,
              expiresLabel: k.expiresAt ? dateFormat.format(k.expiresAt) : null,
              state: k.revokedAt
                ? "revoked"
                : k.expiresAt && k.expiresAt <= now
                  ? "expired"
                  : "active",
            }))}
          />
        </section>

        <section aria-labelledby="github" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="github" className="font-medium text-sm">
              GitHub
            </h2>
            <p className="text-muted-foreground text-sm">
              Connected accounts and the repositories projects can use. Issues labelled with a
              project's label become tickets; finished specs open pull requests.
            </p>
          </div>
          <GithubPanel
            orgSlug={org.slug}
            appUrl={appUrl()}
            configured={githubConfigured}
            canManage={canManage}
            installations={githubInstallations}
            notice={(await searchParams).github}
          />
        </section>

        <section aria-labelledby="intake-policy" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="intake-policy" className="font-medium text-sm">
              Intake policy
            </h2>
            <p className="text-muted-foreground text-sm">
              Rules for work enqueued through the API. A deny rule that matches refuses the request;
              where allow rules exist for something, the request must match one of them. A refusal
              names the rule.
            </p>
          </div>
          <IntakeRulesPanel
            canManage={canManage}
            rules={intakeRules.map((r) => ({
              id: r.id,
              name: r.name,
              effect: r.effect,
              field: r.field,
              pattern: r.pattern,
            }))}
          />
        </section>

        <section aria-labelledby="callbacks" className="grid gap-3">
          <div className="grid gap-1">
            <h2 id="callbacks" className="font-medium text-sm">
              Callbacks
            </h2>
            <p className="text-muted-foreground text-sm">
              Work enqueued with a callback URL gets a signed POST when it ends. Callback URLs must
              reach public addresses unless their host is listed here.
            </p>
          </div>
          <CallbacksPanel
            canManage={canManage}
            signingSecret={callbacks.signingSecret}
            allowedHosts={callbacks.allowedHosts}
          />
          <h3 id="callback-deliveries" className="mt-3 font-medium text-sm">
            Recent deliveries
          </h3>
          {deliveries ? (
            <CallbackDeliveries
              deliveries={deliveries.map((d) => {
                const when = d.deliveredAt ?? d.createdAt;
                return {
                  id: d.id,
                  ticket: d.ticket,
                  url: d.url,
                  status: d.status,
                  attempts: d.attempts,
                  lastError: d.lastError,
                  whenLabel: dateTimeFormat.format(when),
                  whenIso: when.toISOString(),
                  nextAttemptLabel:
                    d.status === "PENDING" ? dateTimeFormat.format(d.nextAttemptAt) : null,
                };
              })}
            />
          ) : (
            <p className="text-muted-foreground text-sm">
              Admins and owners can see deliveries and send them again.
            </p>
          )}
        </section>
      </main>
    </>
  );
}
