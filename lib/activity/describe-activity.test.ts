import { describe, expect, it } from "vitest";
import {
  activityDayLabel,
  activityFamily,
  type DescribableActivity,
  describeActivity,
} from "./describe-activity";

const ada = { name: "Ada", email: "ada@example.com" };
const bob = { name: "Bob", email: "bob@example.com" };

function event(overrides: Partial<DescribableActivity>): DescribableActivity {
  return {
    type: "x",
    actorKind: "USER",
    data: {},
    actor: ada,
    subject: null,
    project: null,
    ticket: null,
    ...overrides,
  };
}

describe("describeActivity", () => {
  it("names the ticket and its project", () => {
    const sentence = describeActivity(
      event({
        type: "ticket.created",
        project: { id: "prj_1", name: "Web" },
        ticket: { id: "tkt_1", number: 3, title: "Add search" },
      }),
    );
    expect(sentence).toBe("Ada created ticket #3 Add search in Web");
  });

  it("says what Stripe changed about the organization's billing", () => {
    const upgraded = event({
      type: "org.billing_changed",
      actorKind: "SYSTEM",
      actor: null,
      data: { plan: { from: "FREE", to: "PRO" }, status: { from: "NONE", to: "ACTIVE" } },
    });
    expect(describeActivity(upgraded)).toBe(
      "The organization moved to the Pro plan (subscription active)",
    );
    const overdue = event({
      type: "org.billing_changed",
      actorKind: "SYSTEM",
      actor: null,
      data: { plan: { from: "PRO", to: "PRO" }, status: { from: "ACTIVE", to: "PAST_DUE" } },
    });
    expect(describeActivity(overdue)).toBe(
      "The organization changed billing (subscription past due)",
    );
  });

  it("says who sent a ticket's callback again", () => {
    const sentence = describeActivity(
      event({
        type: "ticket.callback_resent",
        ticket: { id: "tkt_1", number: 3, title: "Add search" },
        data: { previousStatus: "FAILED" },
      }),
    );
    expect(sentence).toBe("Ada sent the callback for ticket #3 Add search again");
  });

  it("says how a ticket's callback ended", () => {
    const ticket = { id: "tkt_1", number: 3, title: "Add search" };
    const base = { actorKind: "SYSTEM", actor: null, ticket };
    expect(
      describeActivity(
        event({ ...base, type: "ticket.callback_delivered", data: { attempts: 2 } }),
      ),
    ).toBe("The callback for ticket #3 Add search was delivered");
    expect(
      describeActivity(
        event({
          ...base,
          type: "ticket.callback_failed",
          data: { attempts: 1, error: "The receiver answered 410" },
        }),
      ),
    ).toBe("The callback for ticket #3 Add search failed: The receiver answered 410");
  });

  it("tells an uninstall on GitHub from a disconnect in Settings", () => {
    const data = { account: "acme", installationId: 7 };
    expect(
      describeActivity(
        event({ type: "github.uninstalled", actorKind: "GITHUB", actor: null, data }),
      ),
    ).toBe("The GitHub App was uninstalled from acme");
    expect(describeActivity(event({ type: "github.uninstalled", data }))).toBe(
      "Ada disconnected the GitHub account acme",
    );
  });

  it("falls back to the number and title recorded in the event", () => {
    const sentence = describeActivity(
      event({ type: "ticket.created", data: { number: 7, title: "Fix login" } }),
    );
    expect(sentence).toBe("Ada created ticket #7 Fix login");
  });

  it("says whose role changed and how", () => {
    const sentence = describeActivity(
      event({
        type: "member.role_changed",
        subject: bob,
        data: { userId: "usr_b", from: "MEMBER", to: "ADMIN" },
      }),
    );
    expect(sentence).toBe("Ada changed Bob's role from member to admin");
  });

  it("describes a status move in words", () => {
    const sentence = describeActivity(
      event({
        type: "ticket.updated",
        ticket: { id: "tkt_1", number: 3, title: "Add search" },
        data: { changed: ["status"], from: "OPEN", to: "IN_PROGRESS" },
      }),
    );
    expect(sentence).toBe("Ada moved ticket #3 Add search from open to in progress");
  });

  it("keeps the name of a deleted project from the event data", () => {
    expect(describeActivity(event({ type: "project.deleted", data: { name: "Legacy" } }))).toBe(
      "Ada deleted project Legacy",
    );
  });

  it("uses the email's local part, then the actor kind, when there is no name", () => {
    expect(
      describeActivity(
        event({ type: "member.left", actor: { name: null, email: "cy@example.com" } }),
      ),
    ).toBe("cy left the organization");
    expect(describeActivity(event({ type: "member.left", actor: null, actorKind: "AGENT" }))).toBe(
      "An agent left the organization",
    );
  });

  it("says when a person acted through an API key, and names keys and intake rules", () => {
    expect(
      describeActivity(
        event({ type: "ticket.created", actorKind: "API", data: { number: 2, title: "Fix CI" } }),
      ),
    ).toBe("Ada (API key) created ticket #2 Fix CI");
    expect(
      describeActivity(
        event({ type: "org.api_key_created", data: { name: "CI", scope: "WRITE" } }),
      ),
    ).toBe("Ada created the API key CI (write)");
    expect(describeActivity(event({ type: "org.api_key_revoked", data: { name: "CI" } }))).toBe(
      "Ada revoked the API key CI",
    );
    expect(
      describeActivity(event({ type: "org.intake_rule_added", data: { name: "No prod" } })),
    ).toBe("Ada added the intake rule No prod");
  });

  it("names the model routing entries that changed and what they changed to", () => {
    expect(
      describeActivity(
        event({
          type: "org.models_updated",
          data: {
            changes: [
              {
                key: "coder",
                from: null,
                to: { model: "claude-sonnet-5-5", fallback: "claude-haiku-4-5" },
              },
              { key: "reviewer", from: { model: "claude-opus-5-5" }, to: null },
            ],
          },
        }),
      ),
    ).toBe(
      "Ada changed the model routing: Coding to claude-sonnet-5-5 (fallback claude-haiku-4-5), Review to the default",
    );
  });

  it("shows an unknown type as the type itself", () => {
    expect(describeActivity(event({ type: "runner.registered" }))).toBe("Ada · runner.registered");
  });
});

describe("activityFamily", () => {
  it("groups by the prefix before the dot", () => {
    expect(activityFamily("ticket.closed")).toBe("ticket");
    expect(activityFamily("member.invitation_revoked")).toBe("member");
    expect(activityFamily("spec.approved")).toBe("spec");
    expect(activityFamily("runner.registered")).toBeNull();
  });
});

describe("activityDayLabel", () => {
  const now = new Date("2026-03-10T15:00:00Z");
  it("says Today and Yesterday, then the date", () => {
    expect(activityDayLabel(new Date("2026-03-10T01:00:00Z"), now, "UTC")).toBe("Today");
    expect(activityDayLabel(new Date("2026-03-09T23:59:00Z"), now, "UTC")).toBe("Yesterday");
    expect(activityDayLabel(new Date("2026-03-01T10:00:00Z"), now, "UTC")).toBe("Sun, Mar 1");
    expect(activityDayLabel(new Date("2025-12-31T10:00:00Z"), now, "UTC")).toBe("Dec 31, 2025");
  });

  it("counts days in the given time zone", () => {
    // 02:00 UTC on the 10th is still the 9th in New York.
    expect(activityDayLabel(new Date("2026-03-10T02:00:00Z"), now, "America/New_York")).toBe(
      "Yesterday",
    );
  });

  it("handles the first of the month", () => {
    expect(
      activityDayLabel(new Date("2026-02-28T12:00:00Z"), new Date("2026-03-01T12:00:00Z"), "UTC"),
    ).toBe("Yesterday");
  });
});

describe("spec events", () => {
  const base = {
    actorKind: "USER",
    actor: { name: "Ada", email: "ada@example.com" },
    project: { id: "prj_1", name: "Web" },
    ticket: { id: "tkt_1", number: 3, title: "Add search" },
  };
  it("says who approved which phase, or that it was automatic", () => {
    expect(describeActivity({ ...base, type: "spec.approved", data: { phase: "DESIGN" } })).toBe(
      "Ada approved the design of ticket #3 Add search",
    );
    expect(
      describeActivity({
        ...base,
        actor: null,
        actorKind: "SYSTEM",
        type: "spec.approved",
        data: { phase: "TASKS", auto: true },
      }),
    ).toBe("Tasks auto-approved for ticket #3 Add search");
  });
  it("quotes the feedback of a change request and the reason of a failure", () => {
    expect(
      describeActivity({
        ...base,
        type: "spec.changes_requested",
        data: { phase: "REQUIREMENTS", feedback: "Add CSV" },
      }),
    ).toBe("Ada requested changes to the requirements of ticket #3 Add search: “Add CSV”");
    expect(
      describeActivity({
        ...base,
        actor: null,
        actorKind: "AGENT",
        type: "spec.phase_failed",
        data: { phase: "REQUIREMENTS", reason: "Bad key" },
      }),
    ).toBe("Requirements failed for ticket #3 Add search: Bad key");
  });
});

describe("describeActivity: GitHub", () => {
  it("names the GitHub user when no Trellis account is linked", () => {
    const approved = event({
      type: "spec.approved",
      actorKind: "GITHUB",
      actor: null,
      data: { phase: "DESIGN", githubLogin: "octocat", auto: false },
      ticket: { id: "tkt_1", number: 3, title: "Add search" },
    });
    expect(describeActivity(approved)).toBe(
      "octocat (GitHub) approved the design of ticket #3 Add search",
    );
    expect(describeActivity({ ...approved, actor: ada })).toBe(
      "Ada approved the design of ticket #3 Add search",
    );
  });

  it("tells pull requests and refusals", () => {
    const ticket = { id: "tkt_1", number: 3, title: "Add search" };
    expect(
      describeActivity(
        event({
          type: "spec.pr_opened",
          actorKind: "SYSTEM",
          actor: null,
          ticket,
          data: { pullRequest: 12 },
        }),
      ),
    ).toBe("Pull request #12 opened for ticket #3 Add search");
    expect(
      describeActivity(
        event({
          type: "spec.pr_merged",
          actorKind: "GITHUB",
          actor: null,
          ticket,
          data: { pullRequest: 12, githubLogin: "octocat" },
        }),
      ),
    ).toBe("octocat (GitHub) merged pull request #12 of ticket #3 Add search");
    expect(
      describeActivity(
        event({
          type: "github.command_refused",
          actorKind: "GITHUB",
          actor: null,
          data: {
            githubLogin: "mallory",
            command: "/trellis run",
            repository: "acme/shop",
            issue: 4,
          },
        }),
      ),
    ).toBe("mallory (GitHub) was refused /trellis run on acme/shop#4: no write access");
    expect(
      describeActivity(
        event({
          type: "github.repositories_changed",
          actorKind: "GITHUB",
          actor: null,
          data: { account: "acme", added: ["acme/a"], removed: [] },
        }),
      ),
    ).toBe("GitHub account acme added acme/a");
  });
});

describe("project and task sentences", () => {
  it("words what a project edit changed, not the field names", () => {
    expect(
      describeActivity(
        event({
          type: "project.updated",
          project: { id: "prj_1", name: "Todo lib" },
          data: {
            changed: ["name", "testCommand", "lintCommand", "setupCommand"],
            cleared: ["lintCommand"],
            added: ["setupCommand"],
          },
        }),
      ),
    ).toBe(
      "Ada updated project Todo lib: renamed it, changed the test command, removed the lint command and set the setup command",
    );
    expect(
      describeActivity(
        event({
          type: "project.updated",
          project: { id: "prj_1", name: "Todo lib" },
          data: {
            changed: ["repoKind", "localPath", "githubRepoFullName"],
            cleared: ["localPath"],
          },
        }),
      ),
    ).toBe("Ada updated project Todo lib: changed the repository");
  });

  it("names the spec a task belongs to, shortened", () => {
    const task = { actorKind: "AGENT", actor: null, data: { key: "1" } };
    expect(
      describeActivity(
        event({ ...task, type: "task.queued", spec: { title: "Mark all todos done" } }),
      ),
    ).toBe("Task 1 of “Mark all todos done” queued");
    expect(
      describeActivity(
        event({
          ...task,
          type: "task.completed",
          data: { key: "5", title: "Tidy up" },
          spec: { title: "Export the board as a CSV file from the toolbar, with filters" },
        }),
      ),
    ).toBe("Task 5 Tidy up of “Export the board as a CSV file from the…” done");
  });
});

describe("board moves", () => {
  const base = {
    actorKind: "USER",
    actor: { name: "Ada", email: "ada@example.com" },
    project: null,
    ticket: null,
  };
  it("says who retried, resolved or reordered which task", () => {
    expect(
      describeActivity({ ...base, type: "task.retried", data: { key: "1.2", from: "FAILED" } }),
    ).toBe("Ada sent task 1.2 back to the queue");
    expect(
      describeActivity({ ...base, type: "task.resolved", data: { key: "2", title: "Add CSV" } }),
    ).toBe("Ada marked task 2 Add CSV done");
    expect(
      describeActivity({
        ...base,
        type: "task.reordered",
        data: { key: "3", direction: "up", aboveKey: "1" },
      }),
    ).toBe("Ada raised task 3 in the queue (now after 1)");
    expect(
      describeActivity({
        ...base,
        type: "task.reordered",
        data: { key: "3", direction: "down", belowKey: "4" },
      }),
    ).toBe("Ada lowered task 3 in the queue (now before 4)");
  });
});
