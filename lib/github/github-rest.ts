// The few REST calls Trellis makes as an installation, besides listing repositories.
import "server-only";
import { RequestError } from "octokit";
import { installationClient } from "./github-client";

function split(repository: string): { owner: string; repo: string } {
  const [owner = "", repo = ""] = repository.split("/");
  return { owner, repo };
}

/** Adds a comment to an issue (or pull request). */
export async function postIssueComment(options: {
  installationId: number | bigint;
  repository: string;
  issueNumber: number;
  body: string;
}): Promise<{ id: number; url: string }> {
  const octokit = await installationClient(options.installationId);
  const { data } = await octokit.request(
    "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    { ...split(options.repository), issue_number: options.issueNumber, body: options.body },
  );
  return { id: Number(data.id), url: data.html_url };
}

/**
 * True when `login` may push to the repository (admin, maintain or write). Someone GitHub does
 * not list as a collaborator (a 404) has no write access.
 */
export async function hasWriteAccess(options: {
  installationId: number | bigint;
  repository: string;
  login: string;
}): Promise<boolean> {
  const octokit = await installationClient(options.installationId);
  try {
    const { data } = await octokit.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { ...split(options.repository), username: options.login },
    );
    const role = (data as { role_name?: string }).role_name;
    return (
      data.permission === "admin" ||
      data.permission === "write" ||
      role === "admin" ||
      role === "maintain" ||
      role === "write"
    );
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return false;
    throw error;
  }
}

/**
 * Opens a pull request from `head` into `base`; when GitHub says one is already open for the
 * branch (a retried step whose first call did go through), returns that one.
 */
export async function createPullRequest(options: {
  installationId: number | bigint;
  repository: string;
  head: string;
  base: string;
  title: string;
  body: string;
}): Promise<{ number: number; url: string }> {
  const octokit = await installationClient(options.installationId);
  const { owner, repo } = split(options.repository);
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      head: options.head,
      base: options.base,
      title: options.title,
      body: options.body,
    });
    return { number: data.number, url: data.html_url };
  } catch (error) {
    if (!(error instanceof RequestError) || error.status !== 422) throw error;
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      head: `${owner}:${options.head}`,
      state: "open",
    });
    const open = data[0];
    if (!open) throw error;
    return { number: open.number, url: open.html_url };
  }
}
