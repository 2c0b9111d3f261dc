import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  commandHelp,
  fileIssueTicket,
  githubActor,
  linkedProjects,
  noEffects,
  specUrl,
  startIssueSpec,
  type WebhookEffects,
} from "./github-intake";
import type { GithubWebhook } from "./github-webhook";

type Tx = Prisma.TransactionClient;

/**
 * An issue labelled with a linked project's label becomes a ticket of that project (once) and its
 * spec starts; the reply tells the issue where to follow it.
 */
export async function fileLabelledIssue(
  tx: Tx,
  webhook: Extract<GithubWebhook, { kind: "issue_labeled" }>,
): Promise<WebhookEffects> {
  const effects = noEffects();
  const label = webhook.label.toLowerCase();
  const projects = (await linkedProjects(tx, webhook)).filter(
    (p) => p.githubLabel.toLowerCase() === label,
  );
  const lines: string[] = [];
  for (const project of projects) {
    const actor = await githubActor(tx, { orgId: project.orgId, sender: webhook.sender });
    const { ticket, created } = await fileIssueTicket(tx, {
      project,
      issue: webhook.issue,
      label: webhook.label,
      actor,
    });
    if (!created) continue;
    const { spec, request } = await startIssueSpec(tx, { project, ticketId: ticket.id, actor });
    effects.requests.push(request);
    lines.push(
      `Trellis filed this issue as ticket #${ticket.number} in **${project.name}** and is drafting its requirements: ${specUrl(project, spec.id)}`,
    );
  }
  if (lines.length) effects.reply = `${lines.join("\n")}\n\n${commandHelp}`;
  return effects;
}
