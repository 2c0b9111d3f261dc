import { Download, Network } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ExecutionView } from "@/components/execution/execution-view";
import { SpecResult } from "@/components/execution/spec-result";
import { PageHeader } from "@/components/shell/page-header";
import { PaletteApprovalAction } from "@/components/shell/palette-context";
import { DesignView } from "@/components/specs/design-view";
import { ImportSpecDialog } from "@/components/specs/import-spec-dialog";
import { PhaseStepper } from "@/components/specs/phase-stepper";
import { RequirementsView } from "@/components/specs/requirements-view";
import { SpecActions } from "@/components/specs/spec-actions";
import { SpecAttention } from "@/components/specs/spec-attention";
import { SpecBudget } from "@/components/specs/spec-budget";
import { SpecHistory } from "@/components/specs/spec-history";
import { TasksGraph } from "@/components/specs/tasks-graph";
import { TasksView, TasksViewToggle } from "@/components/specs/tasks-view";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { providerLabel } from "@/lib/agents/get-llm-provider";
import { orNotFound, requireOrgContext } from "@/lib/auth/org-context";
import { db } from "@/lib/db/client";
import { listSpecTasks } from "@/lib/execution/list-spec-tasks";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import { can } from "@/lib/orgs/roles";
import {
  designContentSchema,
  requirementsContentSchema,
  tasksContentSchema,
} from "@/lib/specs/artifact-schemas";
import { getSpec } from "@/lib/specs/get-spec";
import { exportSpecMarkdown } from "@/lib/specs/markdown/export-spec-markdown";
import { phaseFile } from "@/lib/specs/phase-file";
import { shownSpecState } from "@/lib/specs/spec-attention";
import { specSpendUsd } from "@/lib/specs/spec-spend";
import { importStartPhase, phaseOfState } from "@/lib/specs/state-machine";
import { cn } from "@/lib/utils/cn";

export const metadata: Metadata = { title: "Spec" };

const tabs: { phase: SpecPhase; label: string; param: string }[] = [
  { phase: "REQUIREMENTS", label: "Requirements", param: "requirements" },
  { phase: "DESIGN", label: "Design", param: "design" },
  { phase: "TASKS", label: "Tasks", param: "tasks" },
];

export default async function SpecPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; specId: string }>;
  searchParams: Promise<{ tab?: string; view?: string }>;
}) {
  const { org: orgSlug, specId } = await params;
  const { actor, org } = await requireOrgContext(orgSlug);
  const spec = await orNotFound(getSpec(db(), { actor, specId }));
  const statePhase = phaseOfState(spec.state);
  const shownState = shownSpecState(spec.state, spec.tasks.length);
  const heldTasks = shownState === "NEEDS_ATTENTION" ? spec.tasks : [];
  const { tab: tabParam, view } = await searchParams;
  const requested = tabs.find((t) => t.param === tabParam);
  const tab =
    requested ??
    tabs.find((t) => t.phase === statePhase) ??
    lastTabWithContent(spec.artifacts) ??
    tabs[0]!;
  const reviewPhase = spec.state.endsWith("_REVIEW") ? statePhase : null;
  const executionStates = new Set(["EXECUTING", "VERIFYING", "DONE"]);
  const showExecution = tabParam === "execution" || (!requested && executionStates.has(spec.state));
  const executionTasks = showExecution ? await listSpecTasks(db(), { actor, specId: spec.id }) : [];
  const running = spec.state.endsWith("_RUNNING");
  const spentUsd = await specSpendUsd(db(), spec.id);
  const current = spec.artifacts.find((a) => a.phase === tab.phase && a.status !== "SUPERSEDED");
  const exportable = spec.artifacts.some((a) => a.status !== "SUPERSEDED");
  const importStart = can(actor.role, "write") ? importStartPhase(spec.state) : null;

  const latest = (phase: SpecPhase) =>
    spec.artifacts.find((a) => a.phase === phase && a.status !== "SUPERSEDED")?.content;
  const editMarkdown =
    reviewPhase && latest(reviewPhase)
      ? (exportSpecMarkdown({
          title: spec.title,
          requirements:
            reviewPhase === "REQUIREMENTS"
              ? requirementsContentSchema.parse(latest("REQUIREMENTS"))
              : undefined,
          design:
            reviewPhase === "DESIGN" ? designContentSchema.parse(latest("DESIGN")) : undefined,
          tasks: reviewPhase === "TASKS" ? tasksContentSchema.parse(latest("TASKS")) : undefined,
        })[phaseFile[reviewPhase]] ?? null)
      : null;

  return (
    <>
      <PageHeader
        crumbs={[
          { label: org.name, href: `/${org.slug}/projects` },
          { label: spec.project.name, href: `/${org.slug}/projects/${spec.project.id}` },
          { label: spec.title },
        ]}
      />
      <main className="grid grid-cols-1 gap-5 p-4 md:p-6">
        <header className="grid gap-3">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="font-semibold text-lg">{spec.title}</h1>
            <StatusBadge status={shownState} />
            {providerLabel() === "offline" ? (
              <span
                className="rounded border border-dashed px-1.5 py-0.5 text-muted-foreground text-xs"
                title="No ANTHROPIC_API_KEY is set: a deterministic offline author drafts the spec."
              >
                offline provider
              </span>
            ) : null}
            {spec.ticket ? (
              <Link
                href={`/${org.slug}/tickets/${spec.ticket.id}`}
                className="text-muted-foreground text-sm hover:underline"
              >
                Ticket #{spec.ticket.number}
              </Link>
            ) : null}
            <div className="ml-auto flex items-center gap-2">
              {exportable ? (
                <Button asChild size="sm" variant="outline">
                  <a href={`/${org.slug}/specs/${spec.id}/export`} download>
                    <Download aria-hidden="true" /> Download Markdown
                  </a>
                </Button>
              ) : null}
              {importStart ? (
                <ImportSpecDialog
                  specId={spec.id}
                  startPhase={importStart}
                  draft={spec.state === "DRAFT"}
                />
              ) : null}
            </div>
          </div>
          <PhaseStepper
            state={spec.state}
            failedPhase={spec.failedPhase}
            attention={heldTasks.length > 0}
          />
          {/* Announces the state as the page refreshes itself, e.g. when a draft arrives. */}
          <p className="sr-only" aria-live="polite">
            Spec state: {shownState.toLowerCase().replace(/_/g, " ")}
          </p>
          {spec.failureReason ? (
            <p
              role="alert"
              className="rounded-md border border-status-failed/40 bg-status-failed/10 px-3 py-2 text-sm"
            >
              The {spec.failedPhase?.toLowerCase()} phase failed: {spec.failureReason}
            </p>
          ) : null}
          <SpecAttention orgSlug={org.slug} tasks={heldTasks} />
          {/* ⌘K offers "Approve …" for the phase in review while this page is open. */}
          <PaletteApprovalAction
            approval={
              reviewPhase && can(actor.role, "write")
                ? {
                    specId: spec.id,
                    phase: reviewPhase,
                    label: `the ${reviewPhase.toLowerCase()} of ${spec.title}`,
                  }
                : null
            }
          />
          <SpecActions
            specId={spec.id}
            state={spec.state}
            reviewPhase={reviewPhase}
            running={running}
            canWrite={can(actor.role, "write")}
            editMarkdown={editMarkdown}
          />
          <SpecBudget
            specId={spec.id}
            spentUsd={spentUsd}
            budgetUsd={spec.budgetUsd === null ? null : Number(spec.budgetUsd)}
            pausedReason={spec.pausedAt ? (spec.pausedReason ?? "Execution is paused.") : null}
            canWrite={can(actor.role, "write")}
          />
        </header>
        <nav aria-label="Spec phases" className="flex gap-1 overflow-x-auto border-b">
          {tabs.map((t) => (
            <Link
              key={t.phase}
              href={`/${org.slug}/specs/${spec.id}?tab=${t.param}`}
              aria-current={!showExecution && t.phase === tab.phase ? "page" : undefined}
              className={cn(
                "-mb-px shrink-0 border-b-2 px-3 py-2 text-sm",
                !showExecution && t.phase === tab.phase
                  ? "border-foreground font-medium"
                  : "border-transparent text-muted-foreground hover:text-foreground",
              )}
            >
              {t.label}
            </Link>
          ))}
          <Link
            href={`/${org.slug}/specs/${spec.id}?tab=execution`}
            aria-current={showExecution ? "page" : undefined}
            className={cn(
              "-mb-px shrink-0 border-b-2 px-3 py-2 text-sm",
              showExecution
                ? "border-foreground font-medium"
                : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            Execution
          </Link>
        </nav>
        {showExecution ? (
          <section aria-label="Execution" className="grid gap-3">
            <SpecResult
              state={spec.state}
              integrationBranch={spec.integrationBranch}
              released={spec.workspaceReleasedAt !== null}
              pullRequestNumber={spec.pullRequestNumber}
              pullRequestUrl={spec.pullRequestUrl}
              project={spec.project}
            />
            {executionTasks.length ? (
              <div className="grid gap-2">
                <Link
                  href={`/${org.slug}/graph?spec=${spec.id}`}
                  className="flex w-fit items-center gap-1 text-muted-foreground text-xs hover:text-foreground"
                >
                  <Network className="size-3.5" aria-hidden="true" /> View as a graph
                </Link>
                {spec.project.testCommand || spec.project.lintCommand ? null : (
                  <p className="text-muted-foreground text-xs">
                    Not verified: {spec.project.name} has no test or lint command, so a task is done
                    when its agent finishes, untested. Set them in the{" "}
                    <Link
                      href={`/${org.slug}/projects/${spec.project.id}/settings`}
                      className="underline underline-offset-2"
                    >
                      project's settings
                    </Link>
                    .
                  </p>
                )}
                <ExecutionView orgSlug={org.slug} tasks={executionTasks} />
              </div>
            ) : (
              <EmptyState
                title="No tasks yet"
                description="Tasks are queued here when the task graph is approved."
              />
            )}
          </section>
        ) : (
          <div className="grid gap-8 xl:grid-cols-[1fr_280px]">
            <section aria-label={tab.label}>
              {current ? (
                <div className="grid gap-2">
                  <p className="text-muted-foreground text-xs">
                    Version {current.version} · {current.status.toLowerCase()} ·{" "}
                    {current.source === "HUMAN"
                      ? `edited by ${current.author?.name ?? current.author?.email}`
                      : current.source.toLowerCase()}
                  </p>
                  {tab.phase === "REQUIREMENTS" ? (
                    <RequirementsView
                      content={requirementsContentSchema.parse(current.content)}
                      editSpecId={
                        reviewPhase === "REQUIREMENTS" && can(actor.role, "write")
                          ? spec.id
                          : undefined
                      }
                    />
                  ) : null}
                  {tab.phase === "DESIGN" ? (
                    <DesignView content={designContentSchema.parse(current.content)} />
                  ) : null}
                  {tab.phase === "TASKS" ? (
                    <>
                      <TasksViewToggle
                        href={`/${org.slug}/specs/${spec.id}?tab=tasks`}
                        view={view === "graph" ? "graph" : "list"}
                      />
                      {view === "graph" ? (
                        <TasksGraph
                          content={tasksContentSchema.parse(current.content)}
                          title={spec.title}
                        />
                      ) : (
                        <TasksView content={tasksContentSchema.parse(current.content)} />
                      )}
                    </>
                  ) : null}
                </div>
              ) : (
                <EmptyState
                  title={
                    running && statePhase === tab.phase
                      ? `Writing the ${tab.label.toLowerCase()}…`
                      : `No ${tab.label.toLowerCase()} yet`
                  }
                  description={
                    running && statePhase === tab.phase
                      ? "This page updates by itself when the draft is ready."
                      : "Each phase starts when the one before it is approved."
                  }
                />
              )}
            </section>
            <SpecHistory phase={tab.phase} artifacts={spec.artifacts} approvals={spec.approvals} />
          </div>
        )}
      </main>
    </>
  );
}

function lastTabWithContent(artifacts: { phase: SpecPhase }[]) {
  return [...tabs].reverse().find((t) => artifacts.some((a) => a.phase === t.phase));
}
