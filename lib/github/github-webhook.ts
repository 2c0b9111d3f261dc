// The webhook deliveries Trellis acts on, parsed from GitHub's payloads into small plain objects
// (what the background function receives as its event data). Anything else is acknowledged and
// ignored: parseGithubWebhook returns null for it.
import { z } from "zod";

const account = z.object({ login: z.string(), type: z.string().default("User") });
const user = z.object({ login: z.string(), id: z.number(), type: z.string().default("User") });
const installationRef = z.object({ id: z.number() });
const repository = z.object({ full_name: z.string() });
const issue = z.object({
  number: z.number(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string(),
  pull_request: z.unknown().optional(),
});

const installationPayload = z.object({
  action: z.enum(["created", "deleted", "suspend", "unsuspend"]),
  installation: installationRef.extend({ account: account.nullish() }),
  sender: user.optional(),
});
const installationRepositoriesPayload = z.object({
  action: z.enum(["added", "removed"]),
  installation: installationRef,
  repositories_added: z.array(repository).default([]),
  repositories_removed: z.array(repository).default([]),
  sender: user.optional(),
});
const issueLabeledPayload = z.object({
  action: z.literal("labeled"),
  installation: installationRef,
  repository,
  issue,
  label: z.object({ name: z.string() }),
  sender: user,
});
const issueCommentPayload = z.object({
  action: z.literal("created"),
  installation: installationRef,
  repository,
  issue,
  comment: z.object({ id: z.number(), body: z.string(), user }),
  sender: user,
});
const pullRequestPayload = z.object({
  action: z.literal("closed"),
  installation: installationRef,
  repository,
  pull_request: z.object({
    number: z.number(),
    html_url: z.string(),
    merged: z.boolean().nullish(),
    head: z.object({ ref: z.string() }),
  }),
  sender: user,
});

export interface GithubSender {
  login: string;
  id: number;
}

export type TrellisCommand = "run" | "approve" | "cancel";

export type GithubWebhook =
  | {
      kind: "installation";
      action: "created" | "deleted" | "suspend" | "unsuspend";
      installationId: number;
      account: string | null;
    }
  | {
      kind: "installation_repositories";
      installationId: number;
      added: string[];
      removed: string[];
    }
  | {
      kind: "issue_labeled";
      installationId: number;
      repository: string;
      issue: { number: number; title: string; body: string; url: string };
      label: string;
      sender: GithubSender;
    }
  | {
      kind: "issue_command";
      installationId: number;
      repository: string;
      issue: { number: number; title: string; body: string; url: string };
      /** The command, or null for "/trellis <something we do not know>". */
      command: TrellisCommand | null;
      text: string;
      sender: GithubSender;
    }
  | {
      kind: "pull_request_closed";
      installationId: number;
      repository: string;
      pullRequest: { number: number; url: string; merged: boolean };
      sender: GithubSender;
    };

/** The events (by X-GitHub-Event) that may carry something Trellis acts on. */
export const handledGithubEvents = new Set([
  "installation",
  "installation_repositories",
  "issues",
  "issue_comment",
  "pull_request",
]);

const commandPattern = /^\s*\/trellis(?![\w-])(?:[ \t]+(\S+))?/im;

/** The first `/trellis <command>` line of a comment, or undefined when there is none. */
export function parseTrellisCommand(
  body: string,
): { command: TrellisCommand | null; text: string } | undefined {
  const match = commandPattern.exec(body);
  if (!match) return undefined;
  const word = (match[1] ?? "").toLowerCase();
  const command = word === "run" || word === "approve" || word === "cancel" ? word : null;
  return { command, text: match[0].trim() };
}

const issueOf = (i: z.infer<typeof issue>) => ({
  number: i.number,
  title: i.title,
  body: i.body ?? "",
  url: i.html_url,
});
const senderOf = (u: z.infer<typeof user>) => ({ login: u.login, id: u.id });

/**
 * What a delivery asks of Trellis, or null when it asks nothing (another event or action, a bot's
 * comment, a comment without a command). Throws a ZodError when a handled event is malformed.
 */
export function parseGithubWebhook(event: string, payload: unknown): GithubWebhook | null {
  const action = (payload as { action?: unknown } | null)?.action;
  switch (event) {
    case "installation": {
      if (!installationPayload.shape.action.safeParse(action).success) return null;
      const p = installationPayload.parse(payload);
      return {
        kind: "installation",
        action: p.action,
        installationId: p.installation.id,
        account: p.installation.account?.login ?? null,
      };
    }
    case "installation_repositories": {
      if (action !== "added" && action !== "removed") return null;
      const p = installationRepositoriesPayload.parse(payload);
      return {
        kind: "installation_repositories",
        installationId: p.installation.id,
        added: p.repositories_added.map((r) => r.full_name),
        removed: p.repositories_removed.map((r) => r.full_name),
      };
    }
    case "issues": {
      if (action !== "labeled") return null;
      const p = issueLabeledPayload.parse(payload);
      if (p.issue.pull_request !== undefined) return null;
      return {
        kind: "issue_labeled",
        installationId: p.installation.id,
        repository: p.repository.full_name,
        issue: issueOf(p.issue),
        label: p.label.name,
        sender: senderOf(p.sender),
      };
    }
    case "issue_comment": {
      if (action !== "created") return null;
      const p = issueCommentPayload.parse(payload);
      // Bots (Trellis' own replies among them) never command Trellis: no reply loops.
      if (p.comment.user.type === "Bot" || p.sender.type === "Bot") return null;
      if (p.issue.pull_request !== undefined) return null;
      const parsed = parseTrellisCommand(p.comment.body);
      if (!parsed) return null;
      return {
        kind: "issue_command",
        installationId: p.installation.id,
        repository: p.repository.full_name,
        issue: issueOf(p.issue),
        command: parsed.command,
        text: parsed.text,
        sender: senderOf(p.comment.user),
      };
    }
    case "pull_request": {
      if (action !== "closed") return null;
      const p = pullRequestPayload.parse(payload);
      return {
        kind: "pull_request_closed",
        installationId: p.installation.id,
        repository: p.repository.full_name,
        pullRequest: {
          number: p.pull_request.number,
          url: p.pull_request.html_url,
          merged: p.pull_request.merged === true,
        },
        sender: senderOf(p.sender),
      };
    }
    default:
      return null;
  }
}
