import { execFileSync } from "node:child_process";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import {
  createProject,
  createTicket,
  field,
  makeGitRepo,
  signUp,
  unique,
  waitForHydration,
} from "./fixtures";

/*
 * The spec pipeline as a reviewer sees it. No ANTHROPIC_API_KEY is set in
 * e2e, so the deterministic offline provider drafts every phase; the worker
 * runs the phases for real and the page refreshes itself while one runs.
 */

const description =
  "Users can export the board as a CSV file from the toolbar. " +
  "Exports over ten thousand tasks must be refused with a clear message. " +
  "The export includes archived tickets when the filter is on.";

/** Clicks "Start spec" in the ticket page's Specs aside and returns the spec's id. */
async function startSpec(page: Page, orgSlug: string): Promise<string> {
  const specs = page.getByRole("region", { name: "Specs" });
  await expect(specs.getByText("No spec yet")).toBeVisible();
  await specs.getByRole("button", { name: "Start spec" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/specs/[^/?#]+$`));
  const id = new URL(page.url()).pathname.split("/").at(-1);
  if (!id) throw new Error(`no spec id in ${page.url()}`);
  return id;
}

/** The spec's state badge next to its title. */
function stateBadge(page: Page, label: string): Locator {
  // The spec's own badge, in its header (task rows below have status badges too).
  return page.getByRole("main").locator("header").first().getByText(label, { exact: true });
}

/** The current phase's content (the tab's panel). */
function content(page: Page, tab: "Requirements" | "Design" | "Tasks"): Locator {
  return page.getByRole("main").getByRole("region", { name: tab, exact: true });
}

function history(page: Page): Locator {
  return page.getByRole("complementary", { name: "History" });
}

function version(page: Page, n: number): Locator {
  return history(page).locator(`li[data-version="${n}"]`);
}

/** One step of the phase stepper, e.g. ("Design", "approved"). */
async function expectStep(page: Page, step: string, status: string): Promise<void> {
  const item = page
    .getByRole("list", { name: "Phases" })
    .getByRole("listitem")
    .filter({ hasText: step });
  await expect(item.locator("[data-status]")).toHaveAttribute("data-status", status);
  await expect(item).toContainText(status);
  // The step the spec is at is the current one for assistive technology.
  if (["review", "running", "failed", "attention"].includes(status))
    await expect(item).toHaveAttribute("aria-current", "step");
  else await expect(item).not.toHaveAttribute("aria-current");
}

/** A spec of a fresh ticket, waited for until its requirements are in review. */
async function specInRequirementsReview(page: Page) {
  const account = await signUp(page, { name: "Ada Lovelace" });
  const repoPath = makeGitRepo();
  await createProject(page, account.orgSlug, { localPath: repoPath });
  const ticket = await createTicket(page, account.orgSlug, {
    title: unique("Export the board"),
    description,
  });
  const specId = await startSpec(page, account.orgSlug);
  // Drafted by the worker; the page picks it up without a reload.
  await expect(stateBadge(page, "Requirements review")).toBeVisible({ timeout: 20_000 });
  return { account, ticket, specId, repoPath };
}

test("a spec goes from ticket to approved requirements, design and tasks, then agents execute it to done; changes requested on the way stay in history", async ({
  page,
}) => {
  // Four phases, a full execution by the worker, and a walk through the results.
  test.slow();
  const { account, ticket, specId, repoPath } = await specInRequirementsReview(page);
  const requirements = content(page, "Requirements");

  await test.step("requirements drafted by the offline provider, in EARS", async () => {
    await expect(page.getByText("offline provider", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: ticket.name })).toBeVisible();
    await expectStep(page, "Requirements", "review");
    await expectStep(page, "Design", "draft");
    await expect(requirements.getByText("Version 1 · draft · agent")).toBeVisible();
    await expect(requirements.getByText("REQ-001", { exact: true })).toBeVisible();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Export the board as a CSV file…" }),
    ).toBeVisible();
    // The EARS keywords are set apart in capitals.
    await expect(requirements.locator("strong", { hasText: /^WHEN$/ }).first()).toBeVisible();
    await expect(requirements.locator("strong", { hasText: /^SHALL$/ }).first()).toBeVisible();
    await expect(requirements.locator("strong", { hasText: /^IF$/ }).first()).toBeVisible();
    await expect(version(page, 1)).toContainText("draft");
  });

  const feedback = "Also cover exports of a filtered board";
  await test.step("request changes: version 2 answers the feedback, version 1 stays", async () => {
    await page.getByRole("button", { name: "Request changes" }).click();
    const dialog = page.getByRole("dialog", { name: "Request changes" });
    await field(dialog, "What should change?").fill(feedback);
    await dialog.getByRole("button", { name: "Send back" }).click();
    await expect(dialog).toBeHidden();

    await expect(requirements.getByText("Version 2 · draft · agent")).toBeVisible({
      timeout: 20_000,
    });
    await expect(stateBadge(page, "Requirements review")).toBeVisible();
    // The offline author adds a requirement quoting the feedback.
    const added = requirements.getByRole("region", { name: /^Reviewer feedback: / });
    await expect(added).toBeVisible();
    await expect(added.getByText(`"${feedback}"`).first()).toBeVisible();
    await expect(requirements.getByText("REQ-001", { exact: true })).toBeVisible();

    await expect(version(page, 2)).toContainText(`Answers: “${feedback}”`);
    await expect(version(page, 1)).toContainText("superseded");
    await expect(version(page, 1)).toContainText(
      `Changes requested by ${account.name}: “${feedback}”`,
    );
  });

  await test.step("approve the requirements with A: the design comes with a drawn diagram", async () => {
    await waitForHydration(page);
    await expect(page.getByRole("button", { name: /Approve requirements/ })).toHaveAttribute(
      "aria-keyshortcuts",
      "a",
    );
    await page.keyboard.press("a");
    await expect(stateBadge(page, "Design review")).toBeVisible({ timeout: 20_000 });
    await expectStep(page, "Requirements", "approved");
    await expectStep(page, "Design", "review");

    const design = content(page, "Design");
    await expect(design.getByText("Version 1 · draft · agent")).toBeVisible();
    await expect(design.getByRole("heading", { name: "Architecture" })).toBeVisible();
    const diagram = design.locator("[data-diagram=rendered]");
    await expect(diagram).toBeVisible({ timeout: 15_000 });
    await expect(diagram).toHaveAttribute("role", "img");
    await expect(design.getByRole("img", { name: "Main flow" })).toBeVisible();
    await expect(diagram.locator("svg")).toHaveCount(1);
    await expect(diagram.locator("svg")).toContainText("Route handler");
    // The design traces to the approved requirements, the feedback one included.
    await expect(design.getByText("REQ-004", { exact: true }).first()).toBeVisible();
  });

  await test.step("approve the design: the task graph", async () => {
    await page.getByRole("button", { name: /Approve design/ }).click();
    await expect(stateBadge(page, "Tasks review")).toBeVisible({ timeout: 20_000 });
    const tasks = content(page, "Tasks").getByRole("list", { name: "Tasks" });
    await expect(tasks).toBeVisible();
    const first = tasks.getByRole("listitem").first();
    await expect(first).toContainText("1");
    await expect(first).toContainText("Set up lib/");
    await expect(first).toContainText("Depends on nothing");
    await expect(tasks.getByRole("listitem").nth(1)).toContainText("Depends on 1");
    expect(await tasks.getByRole("listitem").count()).toBeGreaterThanOrEqual(4);
  });

  async function expectDone(): Promise<void> {
    await expect(stateBadge(page, "Done")).toBeVisible({ timeout: 60_000 });
    for (const step of ["Requirements", "Design", "Tasks", "Execution"])
      await expectStep(page, step, "approved");
    await expect(page.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
  }

  await test.step("approve the tasks: agents run them, and the spec ends done, also after a reload", async () => {
    await page.getByRole("button", { name: /Approve tasks/ }).click();
    const execution = page.getByRole("main").getByRole("region", { name: "Execution" });
    await expect(execution.getByRole("list", { name: "Tasks" })).toBeVisible({ timeout: 20_000 });
    await expectDone();
    const count = await execution.getByRole("listitem").count();
    await expect(execution.getByText(`${count} of ${count} tasks done`)).toBeVisible();
    await page.reload();
    await expectDone();
    await page.goto(`/${account.orgSlug}/specs/${specId}?tab=tasks`);
    await expect(content(page, "Tasks").getByText("Version 1 · approved · agent")).toBeVisible();
  });

  await test.step("a task opens in the drawer with its log, its diff and its trace", async () => {
    await page.goto(`/${account.orgSlug}/specs/${specId}?tab=execution`);
    await page
      .getByRole("main")
      .getByRole("region", { name: "Execution" })
      .locator('[data-task-key="1"]')
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(/\/tasks\/tsk_/);
    const drawer = page.getByRole("dialog");
    await expect(drawer.getByRole("log", { name: "Run log" })).toContainText("offline agent");
    await drawer.getByRole("tab", { name: "Diff" }).click();
    await expect(drawer.getByRole("region", { name: /^\.trellis\/tasks\// })).toContainText("+");
    await drawer.getByRole("tab", { name: "Verification" }).click();
    // The project has no test or lint command: said so, not shown as pending, and the done task
    // carries a "not verified" note.
    await expect(drawer).toContainText("No verification configured for this project");
    await expect(drawer.getByRole("link", { name: "project's settings" })).toHaveAttribute(
      "href",
      /\/projects\/prj_[^/]+\/settings$/,
    );
    await expect(drawer.getByText("not verified", { exact: true })).toBeVisible();
    await drawer.getByRole("tab", { name: "Trace" }).click();
    const events = drawer.getByRole("list", { name: "Trace events" });
    await expect(events.locator('[data-trace-kind="tool_call"]')).toContainText("write_file");
    await events.getByText("Input").first().click();
    await expect(events).toContainText(".trellis/tasks/");
    const href = await page.getByRole("link", { name: "Download trace" }).getAttribute("href");
    const zip = await page.request.get(href!);
    expect(zip.status()).toBe(200);
    expect(zip.headers()["content-type"]).toBe("application/zip");
    expect((await zip.body()).subarray(0, 2).toString()).toBe("PK");
  });

  await test.step("the timeline shows each task queued, started, verified and done", async () => {
    await page.goto(`/${account.orgSlug}/activity?type=task`);
    // Each names its spec ("Task 1 of “Export the board …” queued"): several specs share numbers.
    for (const sentence of [
      /^Task 1 of “Export the board.*” queued$/,
      /^Task 1 of “Export the board.*” started/,
      /^Task 1 of “Export the board.*” is being verified$/,
      /^Task 1 of “Export the board.*” done$/,
    ]) {
      await expect(page.getByText(sentence).first()).toBeVisible();
    }
  });

  let branch = "";
  await test.step("the finished spec says which branch holds the work; the user can check it out", async () => {
    await page.goto(`/${account.orgSlug}/specs/${specId}?tab=execution`);
    const result = page.getByRole("main").getByRole("region", { name: "Result" });
    branch = (await result.getAttribute("data-branch")) ?? "";
    expect(branch).toMatch(/^trellis\/[a-z0-9-]+$/);
    await expect(result).toContainText(`The work is on branch ${branch}`);
    await expect(result).toContainText(repoPath);
    await expect(result.getByRole("button", { name: "Copy branch name" })).toBeVisible();
    // The worker hands the repository back right after the last task.
    await expect(async () => {
      await page.reload();
      await expect(result).toContainText("In that repository, see the commits", { timeout: 1_000 });
    }).toPass();
    await expect(result).toContainText(`git log main..${branch}`);
    await expect(result).toContainText(`git merge ${branch}`);

    const git = (...args: string[]) =>
      execFileSync("git", ["-C", repoPath, ...args], { encoding: "utf8" }).trim();
    expect(git("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(git("branch", "--list", "trellis/*", "--format=%(refname:short)")).toBe(branch);
    expect(git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
    git("checkout", "-q", branch);
    expect(git("log", "--format=%s", `main..${branch}`)).toMatch(/^1 /m);
    git("checkout", "-q", "main");
  });

  await test.step("the ticket lists the finished spec and offers a new one", async () => {
    await page.goto(`/${account.orgSlug}/specs/${specId}`);
    await page.getByRole("link", { name: /^Ticket #\d+$/ }).click();
    await expect(page).toHaveURL(`/${account.orgSlug}/tickets/${ticket.id}`);
    const specs = page.getByRole("region", { name: "Specs" });
    const link = specs.getByRole("link", { name: new RegExp(ticket.name) });
    await expect(link).toHaveAttribute("href", `/${account.orgSlug}/specs/${specId}`);
    await expect(link).toContainText("Done");
    await expect(specs.getByText(branch, { exact: true })).toBeVisible();
    // Only an unfinished spec blocks a second one.
    await expect(specs.getByRole("button", { name: "Start spec" })).toBeVisible();
  });
});

test("a reviewer edits the requirements as Markdown; a malformed edit is refused with its line", async ({
  page,
}) => {
  const { account } = await specInRequirementsReview(page);
  const requirements = content(page, "Requirements");
  const newTitle = "CSV export from the board toolbar";

  await test.step("an edit becomes version 2, by the reviewer", async () => {
    await page.getByRole("button", { name: "Edit Markdown", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Edit the requirements" });
    const markdown = field(dialog, "Markdown");
    const before = await markdown.inputValue();
    expect(before).toMatch(/^### Requirement 1: /m);
    await markdown.fill(
      before.replace(/^### Requirement 1: .*$/m, `### Requirement 1: ${newTitle}`),
    );
    await dialog.getByRole("button", { name: "Save version" }).click();
    await expect(dialog).toBeHidden();

    await expect(
      requirements.getByText(`Version 2 · draft · edited by ${account.name}`),
    ).toBeVisible();
    await expect(requirements.getByRole("heading", { level: 3, name: newTitle })).toBeVisible();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Export the board as a CSV file…" }),
    ).toHaveCount(0);
    await expect(version(page, 2)).toContainText("edited");
    await expect(version(page, 1)).toContainText("superseded");
  });

  await test.step("a malformed edit is refused in the dialog, naming the line", async () => {
    await page.getByRole("button", { name: "Edit Markdown", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Edit the requirements" });
    const markdown = field(dialog, "Markdown");
    const before = await markdown.inputValue();
    expect(before).toContain(`### Requirement 1: ${newTitle}`);
    // Delete requirement 1's "#### Acceptance Criteria" heading: its criteria are left stranded.
    const lines = before.split("\n");
    const heading = lines.findIndex((line) => line.startsWith("### Requirement 1:"));
    const criteria = lines.findIndex(
      (line, i) => i > heading && line === "#### Acceptance Criteria",
    );
    expect(criteria).toBeGreaterThan(heading);
    lines.splice(criteria, 1);
    const stranded = lines.findIndex((line, i) => i > heading && /^1\. /.test(line)) + 1;
    await markdown.fill(lines.join("\n"));
    await dialog.getByRole("button", { name: "Save version" }).click();

    await expect(
      dialog.getByText(
        `requirements.md line ${stranded}: Numbered criterion outside an "#### Acceptance Criteria" section in Requirement 1`,
      ),
    ).toBeVisible();
    await expect(markdown).toHaveAttribute("aria-invalid", "true");
    await expect(dialog).toBeVisible();

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await page.reload();
    await expect(
      requirements.getByText(`Version 2 · draft · edited by ${account.name}`),
    ).toBeVisible();
    await expect(requirements.getByRole("heading", { level: 3, name: newTitle })).toBeVisible();
    await expect(history(page).getByRole("listitem")).toHaveCount(2);
  });
});

test("a reviewer edits one requirement in place, linted as she types, and adds and deletes one, by keyboard", async ({
  page,
}) => {
  const { account } = await specInRequirementsReview(page);
  const requirements = content(page, "Requirements");
  const count = await requirements.locator("section").count();
  expect(count).toBeGreaterThan(1);

  await test.step("REQ-001's criterion gets a live EARS lint; Ctrl+Enter saves version 2", async () => {
    await requirements.getByRole("button", { name: "Edit REQ-001" }).click();
    const form = requirements.getByRole("form", { name: "Edit REQ-001" });
    // The title field has focus: typing replaces it.
    await expect(field(form, "REQ-001 title")).toBeFocused();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("Export from the toolbar");
    const criterion = field(form, "REQ-001.1");
    await criterion.fill("The system should export the board");
    await expect(form.getByText('not EARS · Use "shall" instead of "should"')).toBeVisible();
    await criterion.fill("WHEN the user presses Export THE SYSTEM SHALL download the board as CSV");
    await expect(form.getByText("event-driven", { exact: true })).toBeVisible();
    await expectNoSeriousViolations(page, "a requirement being edited");
    // An empty criterion is refused before anything is sent.
    await form.getByRole("button", { name: "Add a criterion" }).click();
    await form.getByRole("button", { name: "Save REQ-001" }).click();
    await expect(form.getByText("Write the criterion, or remove it.")).toBeVisible();
    // The blank one is the last; removing it leaves the drafted criteria as they were.
    await form
      .getByRole("button", { name: /^Remove criterion / })
      .last()
      .click();
    await criterion.focus();
    await page.keyboard.press("ControlOrMeta+Enter");

    await expect(form).toBeHidden();
    await expect(
      requirements.getByText(`Version 2 · draft · edited by ${account.name}`),
    ).toBeVisible();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Export from the toolbar" }),
    ).toBeVisible();
    await expect(requirements.getByText("download the board as CSV")).toBeVisible();
    // Focus is back on the block's Edit button.
    await expect(requirements.getByRole("button", { name: "Edit REQ-001" })).toBeFocused();
  });

  const newId = `REQ-${String(count + 1).padStart(3, "0")}`;
  await test.step("a new requirement takes the next id; Escape on another edit changes nothing", async () => {
    await requirements.getByRole("button", { name: "Add a requirement" }).click();
    const form = requirements.getByRole("form", { name: `New requirement ${newId}` });
    await page.keyboard.type("Audit exports");
    await field(form, "As a").fill("compliance officer");
    await field(form, "I want").fill("every export logged");
    await field(form, "so that").fill("I can answer auditors");
    await field(form, `${newId}.1`).fill("THE SYSTEM SHALL record who exported the board and when");
    await form.getByRole("button", { name: `Add ${newId}` }).click();
    await expect(requirements.getByText("Version 3 · draft")).toBeVisible();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Audit exports" }),
    ).toBeVisible();

    await requirements.getByRole("button", { name: "Edit REQ-001" }).click();
    await field(requirements, "REQ-001 title").fill("Not kept");
    await page.keyboard.press("Escape");
    await expect(requirements.getByRole("button", { name: "Edit REQ-001" })).toBeFocused();
    await expect(requirements.getByRole("heading", { level: 3, name: "Not kept" })).toHaveCount(0);
  });

  await test.step("deleting a requirement asks first and keeps the others' ids", async () => {
    await requirements.getByRole("button", { name: `Edit ${newId}` }).click();
    const form = requirements.getByRole("form", { name: `Edit ${newId}` });
    await form.getByRole("button", { name: "Delete requirement" }).click();
    await form.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(requirements.getByText("Version 4 · draft")).toBeVisible();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Audit exports" }),
    ).toHaveCount(0);
    await expect(requirements.locator("section")).toHaveCount(count);
    await page.reload();
    await expect(
      requirements.getByRole("heading", { level: 3, name: "Export from the toolbar" }),
    ).toBeVisible();
    await expect(history(page).getByRole("listitem")).toHaveCount(4);
  });
});

test("with every approval gate on auto-approve, a started spec reaches execution by itself", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  const name = unique("Autopilot");
  await page.goto(`/${orgSlug}/projects/new`);
  await field(page, "Name").fill(name);
  await field(page, "Local git repository").fill(makeGitRepo());
  for (const gate of ["Requirements", "Design", "Tasks"]) {
    await field(page, gate).selectOption({ label: "Auto-approve" });
  }
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // The gates were saved with the project.
  await page.goto(`${new URL(page.url()).pathname}/settings`);
  for (const gate of ["Requirements", "Design", "Tasks"]) {
    await expect(field(page, gate)).toHaveValue("AUTO");
  }

  await createTicket(page, orgSlug, { projectName: name, description });
  await startSpec(page, orgSlug);
  // With every gate on auto, the spec goes on to execution (and, with the offline agent, to done).
  await expect(
    page
      .getByRole("main")
      .locator("header")
      .first()
      .getByText(/^(Executing|Done)$/),
  ).toBeVisible({
    timeout: 30_000,
  });
  for (const step of ["Requirements", "Design", "Tasks"]) await expectStep(page, step, "approved");
  await page.goto(`${new URL(page.url()).pathname}?tab=tasks`);
  await expect(content(page, "Tasks").getByText("Version 1 · approved · agent")).toBeVisible();
  await expect(version(page, 1)).toContainText("Approved automatically");
});

test("another organization's spec is 404 under either organization", async ({ browser, page }) => {
  const first = await signUp(page, { name: "Ada" });
  await createProject(page, first.orgSlug);
  const ticket = await createTicket(page, first.orgSlug, { description });
  const specId = await startSpec(page, first.orgSlug);
  await expect(page.getByRole("heading", { level: 1, name: ticket.name })).toBeVisible();

  const otherContext = await browser.newContext();
  try {
    const other = await otherContext.newPage();
    const second = await signUp(other, { name: "Mallory" });
    for (const url of [`/${second.orgSlug}/specs/${specId}`, `/${first.orgSlug}/specs/${specId}`]) {
      const response = await other.goto(url);
      expect(response?.status(), `status of ${url}`).toBe(404);
      await expect(other.getByRole("heading", { name: "Not found" })).toBeVisible();
      await expect(other.getByText(ticket.name)).toHaveCount(0);
    }
  } finally {
    await otherContext.close();
  }

  // The owner still sees it.
  const response = await page.goto(`/${first.orgSlug}/specs/${specId}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: ticket.name })).toBeVisible();
});

test("a task whose command-line agent fails shows why, and a person can retry it", async ({
  page,
}) => {
  test.slow();
  const { orgSlug } = await signUp(page);
  const name = unique("Broken agent");
  await page.goto(`/${orgSlug}/projects/new`);
  await field(page, "Name").fill(name);
  await field(page, "Local git repository").fill(makeGitRepo());
  await field(page, "Agent command").fill("echo the agent cannot do this >&2; exit 3");
  for (const gate of ["Requirements", "Design", "Tasks"]) {
    await field(page, gate).selectOption({ label: "Auto-approve" });
  }
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await createTicket(page, orgSlug, { projectName: name, description });
  const specId = await startSpec(page, orgSlug);

  await page.goto(`/${orgSlug}/specs/${specId}?tab=execution`);
  const execution = page.getByRole("main").getByRole("region", { name: "Execution" });
  const first = execution.locator('[data-task-key="1"]');
  await expect(first).toHaveAttribute("data-status", "FAILED", { timeout: 60_000 });
  // The spec is not "running" any more: it is held, says by which task, and how to go on.
  await expect(stateBadge(page, "Needs attention")).toBeVisible();
  await expectStep(page, "Execution", "attention");
  const held = page.getByRole("alert", { name: "Needs attention" });
  await expect(held).toContainText("Retry task");
  await held.getByRole("link", { name: /^Task 1 / }).click();
  await expect(page).toHaveURL(/\/tasks\/tsk_/);
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByRole("alert")).toContainText("the agent cannot do this");
  await expect(drawer.getByRole("log", { name: "Run log" })).toContainText(
    "the agent cannot do this",
  );

  await drawer.getByRole("button", { name: "Retry task" }).click();
  await expect(page.getByText("Task queued again")).toBeVisible();
  // It runs again (and, with the same broken command, fails again): a second run in its history.
  await drawer.getByRole("tab", { name: "Cost" }).click();
  // A retry starts a fresh set of attempts, so both runs are attempt #1: header + two rows.
  await expect(drawer.getByRole("row")).toHaveCount(3, { timeout: 30_000 });
  await expect(drawer.getByRole("row", { name: /#1/ })).toHaveCount(2);
});

test("the guardian stops an agent stuck repeating one tool call, and the task drawer says why", async ({
  page,
}) => {
  test.slow();
  const { orgSlug } = await signUp(page);
  const name = unique("Guarded");
  await page.goto(`/${orgSlug}/projects/new`);
  await field(page, "Name").fill(name);
  await field(page, "Local git repository").fill(makeGitRepo());
  for (const gate of ["Requirements", "Design", "Tasks"]) {
    await field(page, gate).selectOption({ label: "Auto-approve" });
  }
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  // The offline agent's test hook: every task of this spec repeats one call until stopped.
  await createTicket(page, orgSlug, {
    projectName: name,
    title: unique("Stuck agent [offline:repeat]"),
    description,
  });
  const specId = await startSpec(page, orgSlug);

  await page.goto(`/${orgSlug}/specs/${specId}?tab=execution`);
  const execution = page.getByRole("main").getByRole("region", { name: "Execution" });
  const first = execution.locator('[data-task-key="1"]');
  await expect(first).toHaveAttribute("data-status", "NEEDS_ATTENTION", { timeout: 60_000 });
  await first.getByRole("link").click();

  const drawer = page.getByRole("dialog");
  await expect(drawer.getByRole("alert")).toContainText(
    "Guardian: Stopped: repeated the same tool call 3 times in a row again after a nudge",
  );
  const guardian = drawer.getByRole("region", { name: "Guardian" });
  await expect(guardian.getByText("Nudged", { exact: true })).toBeVisible();
  await expect(guardian.getByText("Escalated", { exact: true })).toBeVisible();
  await expect(drawer.getByRole("log", { name: "Run log" })).toContainText("Guardian (nudge)");
});
