import { ExternalLink, GitBranch } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { cn } from "@/lib/utils/cn";

export interface SpecResultProps {
  state: string;
  integrationBranch: string | null;
  /** False until the worker has removed its worktrees (the branch is then free to check out). */
  released: boolean;
  pullRequestNumber: number | null;
  pullRequestUrl: string | null;
  project: {
    repoKind: string;
    localPath: string | null;
    githubRepoFullName: string | null;
    defaultBranch: string;
  };
}

/**
 * Where a spec's work is: the integration branch in the user's repository (with the commands to
 * look at it and merge it), or the pull request on GitHub. Nothing before the first task runs.
 */
export function SpecResult(props: SpecResultProps) {
  const branch = props.integrationBranch;
  if (!branch) return null;
  const { project } = props;
  const done = props.state === "DONE";
  const running = props.state === "EXECUTING" || props.state === "VERIFYING";
  const github = project.repoKind === "GITHUB" && project.githubRepoFullName;
  const base = project.defaultBranch;
  const commands = `git log ${base}..${branch}\ngit checkout ${base}\ngit merge ${branch}`;

  return (
    <section
      aria-label="Result"
      data-branch={branch}
      className="grid gap-2 rounded-lg border bg-card p-3 text-sm"
    >
      <p className="leading-7">
        <GitBranch
          className="mr-1.5 inline size-4 align-[-3px] text-muted-foreground"
          aria-hidden="true"
        />
        {done
          ? "The work is on branch"
          : running
            ? "Verified tasks are merged into branch"
            : "The work merged before the spec stopped is on branch"}{" "}
        <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{branch}</code>
        <CopyButton value={branch} what="branch name" className="-my-1 align-middle" />
        {github ? (
          <>
            {" "}
            of <span className="font-mono text-xs">{project.githubRepoFullName}</span>
          </>
        ) : project.localPath ? (
          <>
            {" "}
            in <span className="break-all font-mono text-xs">{project.localPath}</span>
          </>
        ) : null}
        {running ? (
          <span className="text-muted-foreground">
            {" "}
            as they finish{github ? "; a pull request opens when all are done" : ""}.
          </span>
        ) : null}
      </p>
      {github && done ? (
        props.pullRequestUrl ? (
          <p>
            <PullRequestLink
              url={props.pullRequestUrl}
              number={props.pullRequestNumber}
              className="font-medium"
            />{" "}
            <span className="text-muted-foreground">is open for review on GitHub.</span>
          </p>
        ) : (
          <p className="text-muted-foreground">
            Pushing the branch to GitHub; the pull request opens in a moment.
          </p>
        )
      ) : null}
      {!github && done ? (
        <>
          <p className="text-muted-foreground">
            {props.released
              ? `In that repository, see the commits, then merge them into ${base}:`
              : `Trellis is still removing its worktrees; the branch can be checked out in a moment. In that repository, see the commits, then merge them into ${base}:`}
          </p>
          <div className="flex items-start gap-1">
            <code className="block min-w-0 flex-1 overflow-x-auto whitespace-pre rounded bg-muted p-2 font-mono text-xs">
              {commands}
            </code>
            <CopyButton value={commands} what="commands" />
          </div>
        </>
      ) : null}
    </section>
  );
}

/** One line for a finished spec in a list (the ticket page): its pull request, or its branch. */
export function SpecResultLine({
  spec,
}: {
  spec: {
    integrationBranch: string | null;
    pullRequestNumber: number | null;
    pullRequestUrl: string | null;
  };
}) {
  if (spec.pullRequestUrl) {
    return (
      <PullRequestLink
        url={spec.pullRequestUrl}
        number={spec.pullRequestNumber}
        className="mt-1 px-2 text-xs"
      />
    );
  }
  if (!spec.integrationBranch) return null;
  return (
    <p className="mt-1 flex min-w-0 items-center gap-1 px-2 text-muted-foreground text-xs">
      <GitBranch className="size-3 shrink-0" aria-hidden="true" />
      <span className="sr-only">Branch</span>
      {/* w-0 flex-1: no width of its own, so a long name truncates instead of widening the list. */}
      <code className="w-0 flex-1 truncate font-mono" title={spec.integrationBranch}>
        {spec.integrationBranch}
      </code>
      <CopyButton value={spec.integrationBranch} what="branch name" className="-my-1 h-6" />
    </p>
  );
}

function PullRequestLink(props: { url: string; number: number | null; className?: string }) {
  return (
    <a
      href={props.url}
      target="_blank"
      rel="noreferrer"
      className={cn(
        "inline-flex items-center gap-1 underline-offset-2 hover:underline",
        props.className,
      )}
    >
      Pull request #{props.number} <ExternalLink className="size-3.5" aria-hidden="true" />
    </a>
  );
}
