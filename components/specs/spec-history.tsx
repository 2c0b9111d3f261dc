import type { SpecPhase } from "@/lib/generated/prisma/enums";

interface ArtifactRow {
  id: string;
  phase: SpecPhase;
  version: number;
  status: string;
  source: string;
  feedback: string | null;
  createdAt: Date;
  author: { name: string | null; email: string } | null;
}
interface ApprovalRow {
  id: string;
  phase: SpecPhase;
  version: number;
  decision: string;
  feedback: string | null;
  createdAt: Date;
  actor: { name: string | null; email: string } | null;
}

/** Every version of the phase and every decision on it, newest first. */
export function SpecHistory({
  phase,
  artifacts,
  approvals,
}: {
  phase: SpecPhase;
  artifacts: ArtifactRow[];
  approvals: ApprovalRow[];
}) {
  const versions = artifacts.filter((a) => a.phase === phase);
  const decisions = approvals.filter((a) => a.phase === phase);
  return (
    <aside aria-label="History" className="grid content-start gap-3 text-sm">
      <h2 className="font-medium text-sm">History</h2>
      {versions.length === 0 ? <p className="text-muted-foreground text-xs">Nothing yet.</p> : null}
      <ol className="grid gap-2">
        {versions.map((v) => {
          const decision = decisions.find((d) => d.version === v.version);
          return (
            <li key={v.id} className="rounded-md border p-2 text-xs" data-version={v.version}>
              <div className="flex items-center gap-2">
                <span className="font-medium">Version {v.version}</span>
                <span className="text-muted-foreground">{v.status.toLowerCase()}</span>
                <span className="ml-auto text-muted-foreground">
                  {v.source === "HUMAN" ? "edited" : v.source.toLowerCase()}
                </span>
              </div>
              {v.feedback ? (
                <p className="mt-1 text-muted-foreground">Answers: “{v.feedback}”</p>
              ) : null}
              {decision ? (
                <p className="mt-1">
                  {decision.decision === "APPROVED" ? "Approved" : "Changes requested"}
                  {decision.actor
                    ? ` by ${decision.actor.name ?? decision.actor.email}`
                    : " automatically"}
                  {decision.feedback ? `: “${decision.feedback}”` : ""}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
