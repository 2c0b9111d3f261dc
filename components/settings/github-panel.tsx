import { GitPullRequest, Lock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { DisconnectGithub } from "./disconnect-github";

export interface GithubInstallationView {
  id: string;
  accountLogin: string;
  accountType: string;
  suspended: boolean;
  repositories: Array<{ fullName: string; private: boolean; htmlUrl: string }>;
  error: string | null;
}

const notices: Record<string, string> = {
  connected:
    "GitHub is connected. Link a project to one of its repositories in the project's settings.",
  requested:
    "Your request to install the app was sent to the GitHub account's owners; it appears here once they approve it.",
};

/** The organization's GitHub App installations and their repositories, or how to set the app up. */
export function GithubPanel({
  orgSlug,
  appUrl,
  configured,
  canManage,
  installations,
  notice,
}: {
  orgSlug: string;
  appUrl: string;
  configured: boolean;
  canManage: boolean;
  installations: GithubInstallationView[];
  notice?: string;
}) {
  if (!configured) {
    return (
      <div className="grid max-w-2xl gap-2 rounded-lg border p-4 text-sm">
        <p>GitHub is not set up on this server yet. To connect repositories:</p>
        <ol className="grid list-decimal gap-1 pl-5 text-muted-foreground">
          <li>
            Create a GitHub App with read and write access to contents, issues and pull requests,
            subscribed to the installation, issues, issue comment and pull request events.
          </li>
          <li>
            Set its webhook URL to{" "}
            <code className="font-mono text-xs">{appUrl}/api/webhooks/github</code> and its setup
            URL to <code className="font-mono text-xs">{appUrl}/api/github/setup</code>.
          </li>
          <li>
            Set <code className="font-mono text-xs">GITHUB_APP_ID</code>,{" "}
            <code className="font-mono text-xs">GITHUB_APP_PRIVATE_KEY</code>,{" "}
            <code className="font-mono text-xs">GITHUB_APP_SLUG</code> and{" "}
            <code className="font-mono text-xs">GITHUB_WEBHOOK_SECRET</code> on the server and
            restart it.
          </li>
        </ol>
      </div>
    );
  }

  const connect = canManage ? (
    <Button asChild size="sm" variant={installations.length ? "outline" : "default"}>
      <a href={`/api/github/install?org=${encodeURIComponent(orgSlug)}`}>
        <GitPullRequest aria-hidden="true" />{" "}
        {installations.length ? "Connect another account" : "Connect GitHub"}
      </a>
    </Button>
  ) : null;
  const message = notice ? notices[notice] : undefined;

  return (
    <div className="grid gap-4">
      {message ? (
        <p role="status" className="max-w-2xl rounded-md border bg-muted/50 px-3 py-2 text-sm">
          {message}
        </p>
      ) : null}
      {installations.length === 0 ? (
        <EmptyState
          headingLevel={3}
          icon={<GitPullRequest />}
          title="No GitHub account connected"
          description={
            canManage
              ? "Install the Trellis GitHub App on an account or organization to link its repositories to projects and file labelled issues as tickets."
              : "Admins and owners can connect a GitHub account."
          }
          action={connect}
        />
      ) : (
        <>
          <ul className="grid max-w-2xl gap-3">
            {installations.map((installation) => (
              <li key={installation.id} className="grid gap-2 rounded-lg border p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <GitPullRequest aria-hidden="true" className="size-4" />
                  <span className="font-medium text-sm">{installation.accountLogin}</span>
                  <Badge variant="muted">{installation.accountType}</Badge>
                  {installation.suspended ? <Badge variant="attention">Suspended</Badge> : null}
                  {canManage ? (
                    <div className="ml-auto">
                      <DisconnectGithub
                        installationId={installation.id}
                        accountLogin={installation.accountLogin}
                      />
                    </div>
                  ) : null}
                </div>
                {installation.error ? (
                  <p className="text-muted-foreground text-sm">{installation.error}</p>
                ) : installation.repositories.length === 0 ? (
                  <p className="text-muted-foreground text-sm">
                    This installation grants no repositories; choose some in its settings on GitHub.
                  </p>
                ) : (
                  <ul
                    aria-label={`Repositories of ${installation.accountLogin}`}
                    className="grid gap-1"
                  >
                    {installation.repositories.map((repo) => (
                      <li key={repo.fullName} className="flex items-center gap-2 text-dense">
                        <a
                          href={repo.htmlUrl}
                          className="font-mono text-xs underline-offset-2 hover:underline"
                          rel="noreferrer"
                        >
                          {repo.fullName}
                        </a>
                        {repo.private ? (
                          <Lock aria-label="Private" className="size-3 text-muted-foreground" />
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          {connect ? <div>{connect}</div> : null}
        </>
      )}
    </div>
  );
}
