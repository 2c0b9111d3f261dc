// Pure formatting of activity events for the timeline: no database, no server-only imports.
import { routingLabel } from "@/lib/agents/model-routing-labels";

interface Person {
  name: string | null;
  email: string;
}

/** The fields of an activity event that its sentence is built from. */
export interface DescribableActivity {
  type: string;
  actorKind: string;
  data: unknown;
  actor: Person | null;
  /** The member an event is about (role changed, removed), when the event names one. */
  subject?: Person | null;
  project: { id: string; name: string } | null;
  ticket: { id: string; number: number; title: string } | null;
  /** The spec a task event belongs to, so "task 1" says of which spec. */
  spec?: { title: string } | null;
}

/** Event families, in the order the timeline's filter chips show them. */
export const activityFamilies = ["org", "member", "project", "ticket", "spec", "task"] as const;
export type ActivityFamily = (typeof activityFamilies)[number];

/** The family of an event type ("ticket.created" -> "ticket"), or null for one the timeline has no icon for. */
export function activityFamily(type: string): ActivityFamily | null {
  // "tasks.created" (a graph became tasks) files under the task family.
  const prefix = type.split(".")[0] === "tasks" ? "task" : type.split(".")[0];
  return activityFamilies.find((f) => f === prefix) ?? null;
}

const actorKindNames: Record<string, string> = {
  SYSTEM: "Trellis",
  AGENT: "An agent",
  API: "An API client",
  GITHUB: "GitHub",
  RUNNER: "A runner",
};

function personName(person: Person | null | undefined): string | null {
  if (!person) return null;
  return person.name?.trim() || person.email.split("@")[0] || person.email;
}

function field(data: unknown, key: string): unknown {
  return data && typeof data === "object" && !Array.isArray(data)
    ? (data as Record<string, unknown>)[key]
    : undefined;
}

function text(data: unknown, key: string): string | null {
  const value = field(data, key);
  return typeof value === "string" && value.length > 0 ? value : null;
}

function role(data: unknown, key: string): string | null {
  return text(data, key)?.toLowerCase() ?? null;
}

function humanize(value: string): string {
  return value.toLowerCase().replace(/_/g, " ");
}

function ticketRef(event: DescribableActivity): string {
  const number = event.ticket?.number ?? field(event.data, "number");
  const title = event.ticket?.title ?? text(event.data, "title");
  const id = typeof number === "number" ? `ticket #${number}` : "a ticket";
  return title ? `${id} ${title}` : id;
}

const phaseNames: Record<string, string> = {
  REQUIREMENTS: "Requirements",
  DESIGN: "Design",
  TASKS: "Tasks",
};

function phaseName(data: unknown): string {
  const phase = text(data, "phase");
  return (phase && phaseNames[phase]) || "A phase";
}

function version(data: unknown): string {
  const v = field(data, "version");
  return typeof v === "number" ? ` (version ${v})` : "";
}

/** A spec's title cut to a glance: "Mark all todos done", "Export the board as a CSV file…". */
function shortTitle(title: string): string {
  return title.length > 40 ? `${title.slice(0, 39).trimEnd()}…` : title;
}

/** "1 Set up the schema of “Export the board”": key, title when recorded, and the spec it belongs to. */
function taskRef(event: DescribableActivity): string {
  const key = text(event.data, "key");
  const title = text(event.data, "title");
  const spec = event.spec?.title ? ` of “${shortTitle(event.spec.title)}”` : "";
  return ([key, title].filter(Boolean).join(" ") || "") + spec;
}

// What a project edit changed, in words (lib/projects/update-project.ts records the field names).
const projectFieldWords: Record<string, string> = {
  description: "the description",
  githubLabel: "the GitHub label",
  setupCommand: "the setup command",
  testCommand: "the test command",
  lintCommand: "the lint command",
  agentCommand: "the agent command",
  runnerLabels: "the runner labels",
  approvalRequirements: "the requirements approval",
  approvalDesign: "the design approval",
  approvalTasks: "the tasks approval",
};

function strings(data: unknown, key: string): string[] {
  const value = field(data, key);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** ": renamed it, changed the test command and removed the lint command" (or "" when unknown). */
function projectChanges(data: unknown): string {
  const cleared = new Set(strings(data, "cleared"));
  const added = new Set(strings(data, "added"));
  const phrases = strings(data, "changed").flatMap((key) => {
    if (key === "name") return ["renamed it"];
    if (key === "repoKind" || key === "localPath" || key === "githubRepoFullName")
      return ["changed the repository"];
    const what = projectFieldWords[key];
    if (!what) return [];
    return [`${cleared.has(key) ? "removed" : added.has(key) ? "set" : "changed"} ${what}`];
  });
  const unique = [...new Set(phrases)];
  if (unique.length === 0) return "";
  const last = unique.pop();
  return `: ${unique.length > 0 ? `${unique.join(", ")} and ${last}` : last}`;
}

function changedFields(data: unknown): string {
  const changed = field(data, "changed");
  if (!Array.isArray(changed)) return "";
  const names = changed.filter((c): c is string => typeof c === "string");
  return names.length > 0 ? ` (${names.join(", ")})` : "";
}

/** "Coding to claude-sonnet-5-5 (fallback claude-haiku-4-5), Review to the default". */
function modelChanges(data: unknown): string {
  const changes = field(data, "changes");
  if (!Array.isArray(changes)) return "";
  const parts = changes.flatMap((change) => {
    const key = text(change, "key");
    if (!key) return [];
    const to = field(change, "to");
    const model = text(to, "model");
    const fallback = text(to, "fallback");
    const target = model ? `${model}${fallback ? ` (fallback ${fallback})` : ""}` : "the default";
    return [`${routingLabel(key)} to ${target}`];
  });
  return parts.length > 0 ? `: ${parts.join(", ")}` : "";
}

/**
 * One plain sentence for an event: "Ada created ticket #3 Add search in Web",
 * "Ada changed Bob's role from member to admin". Unknown types show the type itself.
 */
export function describeActivity(event: DescribableActivity): string {
  const githubLogin = event.actorKind === "GITHUB" ? text(event.data, "githubLogin") : null;
  const person = personName(event.actor);
  // An API key acts for the person who created it: say both.
  const who =
    (event.actorKind === "API" && person ? `${person} (API key)` : person) ??
    (githubLogin ? `${githubLogin} (GitHub)` : null) ??
    actorKindNames[event.actorKind] ??
    "Someone";
  const subject = personName(event.subject) ?? "a former member";
  const inProject = event.project ? ` in ${event.project.name}` : "";
  const projectName = event.project?.name ?? text(event.data, "name") ?? "a project";
  const d = event.data;

  switch (event.type) {
    case "org.created":
      return `${who} created the organization${text(d, "name") ? ` ${text(d, "name")}` : ""}`;
    case "org.updated":
      return `${who} updated the organization settings${changedFields(d)}`;
    case "org.models_updated":
      return `${who} changed the model routing${modelChanges(d)}`;
    case "org.billing_changed": {
      // Written by the Stripe webhook (lib/billing/sync-subscription.ts): { plan, status } as { from, to }.
      const to = (key: string) => text(field(d, key), "to");
      const from = (key: string) => text(field(d, key), "from");
      const plan = to("plan");
      const status = to("status");
      const planPart =
        plan && from("plan") !== plan
          ? `moved to the ${plan.charAt(0)}${plan.slice(1).toLowerCase()} plan`
          : "changed billing";
      return `The organization ${planPart}${status ? ` (subscription ${humanize(status)})` : ""}`;
    }
    case "org.api_key_created":
      return `${who} created the API key ${text(d, "name") ?? ""}${role(d, "scope") ? ` (${role(d, "scope")})` : ""}`;
    case "org.api_key_revoked":
      return `${who} revoked the API key ${text(d, "name") ?? ""}`;
    case "org.intake_rule_added":
      return `${who} added the intake rule ${text(d, "name") ?? ""}`;
    case "org.intake_rule_removed":
      return `${who} removed the intake rule ${text(d, "name") ?? ""}`;
    case "member.invited":
      return `${who} created an invite link${role(d, "role") ? ` for a new ${role(d, "role")}` : ""}`;
    case "member.invitation_revoked":
      return `${who} revoked an invite link`;
    case "member.joined":
      return `${who} joined${role(d, "role") ? ` as ${role(d, "role")}` : ""}`;
    case "member.left":
      return `${who} left the organization`;
    case "member.removed":
      return `${who} removed ${subject} from the organization`;
    case "member.role_changed": {
      const from = role(d, "from");
      const to = role(d, "to");
      const whose =
        event.subject && event.actor && event.subject.email === event.actor.email
          ? "their own"
          : `${subject}'s`;
      return `${who} changed ${whose} role${from ? ` from ${from}` : ""}${to ? ` to ${to}` : ""}`;
    }
    case "project.created":
      return `${who} created project ${projectName}`;
    case "project.updated":
      return `${who} updated project ${projectName}${projectChanges(d)}`;
    case "project.deleted":
      return `${who} deleted project ${projectName}`;
    case "ticket.created":
      return `${who} created ${ticketRef(event)}${inProject}`;
    case "ticket.closed":
      return `${who} closed ${ticketRef(event)}${inProject}`;
    case "ticket.reopened":
      return `${who} reopened ${ticketRef(event)}${inProject}`;
    case "ticket.updated": {
      const from = text(d, "from");
      const to = text(d, "to");
      if (from && to)
        return `${who} moved ${ticketRef(event)} from ${humanize(from)} to ${humanize(to)}`;
      return `${who} updated ${ticketRef(event)}${changedFields(d)}`;
    }
    case "ticket.callback_resent":
      return `${who} sent the callback for ${ticketRef(event)} again`;
    case "ticket.callback_delivered":
      return `The callback for ${ticketRef(event)} was delivered`;
    case "ticket.callback_failed":
      return `The callback for ${ticketRef(event)} failed${text(d, "error") ? `: ${text(d, "error")}` : ""}`;
    case "spec.created":
      return `${who} opened a spec for ${ticketRef(event)}${inProject}`;
    case "spec.started":
      return `${who} started the spec for ${ticketRef(event)}`;
    case "spec.phase_finished":
      return `${phaseName(d)} drafted for ${ticketRef(event)}${version(d)}`;
    case "spec.phase_failed":
      return `${phaseName(d)} failed for ${ticketRef(event)}${text(d, "reason") ? `: ${text(d, "reason")}` : ""}`;
    case "spec.approved":
      return field(d, "auto") === true
        ? `${phaseName(d)} auto-approved for ${ticketRef(event)}`
        : `${who} approved the ${phaseName(d).toLowerCase()} of ${ticketRef(event)}`;
    case "spec.changes_requested":
      return `${who} requested changes to the ${phaseName(d).toLowerCase()} of ${ticketRef(event)}${text(d, "feedback") ? `: “${text(d, "feedback")}”` : ""}`;
    case "spec.edited":
      return `${who} edited the ${phaseName(d).toLowerCase()} of ${ticketRef(event)}${version(d)}`;
    case "spec.imported":
      return `${who} imported Markdown into the spec of ${ticketRef(event)}`;
    case "spec.retried":
      return `${who} retried the ${phaseName(d).toLowerCase()} of ${ticketRef(event)}`;
    case "spec.done":
      return `The spec of ${ticketRef(event)} is done${text(d, "branch") ? `: all work is on ${text(d, "branch")}` : ""}`;
    case "spec.cancelled":
      return `${who} cancelled the spec of ${ticketRef(event)}`;
    case "tasks.created": {
      const count = field(d, "count");
      return `${typeof count === "number" ? count : "The"} tasks queued from the approved task graph${inProject}`;
    }
    case "task.queued":
      return `Task ${taskRef(event)} queued`;
    case "task.started":
      return `Task ${taskRef(event)} started${text(d, "workerId") ? ` on ${text(d, "workerId")}` : ""}`;
    case "task.verifying":
      return `Task ${taskRef(event)} is being verified`;
    case "task.completed":
      return `Task ${taskRef(event)} done`;
    case "task.failed":
      return `Task ${taskRef(event)} failed${(text(d, "reason") ?? text(d, "error")) ? `: ${text(d, "reason") ?? text(d, "error")}` : ""}`;
    case "task.requeued":
      return `Task ${taskRef(event)} requeued${text(d, "reason") ? `: ${text(d, "reason")}` : ""}`;
    case "task.needs_attention":
      return `Task ${taskRef(event)} needs attention${text(d, "reason") ? `: ${text(d, "reason")}` : ""}`;
    case "task.cancelled":
      return `${who} cancelled task ${taskRef(event)}`;
    case "guardian.nudge":
      return `Guardian nudged the agent on task ${taskRef(event)}: ${text(d, "reason") ?? "it looked stuck"}`;
    case "guardian.restart":
      return `Guardian restarted task ${taskRef(event)}: ${text(d, "reason") ?? "it looked stuck"}`;
    case "guardian.fail":
      return `Guardian failed task ${taskRef(event)}: ${text(d, "reason") ?? "it was stuck"}`;
    case "guardian.escalate":
      return `Guardian asked for a person${taskRef(event) ? ` on task ${taskRef(event)}` : ""}: ${text(d, "reason") ?? "it was stuck"}`;
    case "guardian.flag_duplicate":
      return `Conductor flagged task ${taskRef(event)} as a likely duplicate: ${text(d, "reason") ?? ""}`;
    case "spec.paused":
      return `Execution of ${ticketRef(event)} paused${text(d, "reason") ? `: ${text(d, "reason")}` : ""}`;
    case "spec.resumed":
      return `${who} resumed execution of ${ticketRef(event)}`;
    case "spec.budget_set": {
      const budget = field(d, "budgetUsd");
      return typeof budget === "number"
        ? `${who} set the budget of ${ticketRef(event)} to $${budget.toFixed(2)}`
        : `${who} removed the budget of ${ticketRef(event)}`;
    }
    case "spec.pr_opened":
      return `Pull request #${field(d, "pullRequest")} opened for ${ticketRef(event)}`;
    case "spec.pr_merged":
      return `${who} merged pull request #${field(d, "pullRequest")} of ${ticketRef(event)}`;
    case "spec.pr_closed":
      return `${who} closed pull request #${field(d, "pullRequest")} of ${ticketRef(event)} without merging`;
    case "github.installed":
      return `${who} connected the GitHub account ${text(d, "account") ?? ""}`.trimEnd();
    case "github.uninstalled":
      // Uninstalled on GitHub (the webhook), or disconnected by someone from Settings.
      return event.actorKind === "GITHUB"
        ? `The GitHub App was uninstalled from ${text(d, "account") ?? "an account"}`
        : `${who} disconnected the GitHub account ${text(d, "account") ?? ""}`.trimEnd();
    case "github.suspended":
      return `The GitHub App was suspended on ${text(d, "account") ?? "an account"}`;
    case "github.unsuspended":
      return `The GitHub App was unsuspended on ${text(d, "account") ?? "an account"}`;
    case "github.repositories_changed": {
      const list = (key: string) => {
        const value = field(d, key);
        return Array.isArray(value) ? value.filter((v) => typeof v === "string").join(", ") : "";
      };
      const changes = [
        list("added") && `added ${list("added")}`,
        list("removed") && `removed ${list("removed")}`,
      ].filter(Boolean);
      return `GitHub account ${text(d, "account") ?? ""} ${changes.join(" and ") || "changed its repositories"}`;
    }
    case "github.command_refused":
      return `${who} was refused ${text(d, "command") ?? "a command"} on ${text(d, "repository") ?? "GitHub"}#${field(d, "issue")}: no write access`;
    // The board's manual moves.
    case "task.retried":
      return `${who} sent task ${taskRef(event)} back to the queue`;
    case "task.resolved":
      return `${who} marked task ${taskRef(event)} done`;
    case "task.reordered":
      return `${who} ${field(d, "direction") === "up" ? "raised" : "lowered"} task ${taskRef(event)} in the queue${text(d, "aboveKey") ? ` (now after ${text(d, "aboveKey")})` : text(d, "belowKey") ? ` (now before ${text(d, "belowKey")})` : ""}`;
    default:
      return `${who} · ${event.type}`;
  }
}

/** "YYYY-MM-DD" of an instant in a time zone (the server's when none is given). */
function dayKey(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

/** The timeline's day heading: "Today", "Yesterday", "Mon, Jan 5" or "Jan 5, 2025" for another year. */
export function activityDayLabel(date: Date, now: Date = new Date(), timeZone?: string): string {
  const today = dayKey(now, timeZone);
  const day = dayKey(date, timeZone);
  if (day === today) return "Today";
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  // Calendar arithmetic at UTC noon, so daylight-saving shifts cannot skip or repeat a day.
  const yesterday = new Date(Date.UTC(y, m - 1, d - 1, 12)).toISOString().slice(0, 10);
  if (day === yesterday) return "Yesterday";
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return new Intl.DateTimeFormat("en", {
    timeZone,
    ...(sameYear
      ? { weekday: "short", month: "short", day: "numeric" }
      : { month: "short", day: "numeric", year: "numeric" }),
  }).format(date);
}
