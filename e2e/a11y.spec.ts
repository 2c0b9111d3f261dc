import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { seedDiamondSpec, seedTasks } from "./db";
import { createProject, createTicket, field, signUp, waitForHydration } from "./fixtures";

for (const theme of ["light", "dark"] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test(`no serious accessibility violations on the main pages (${theme})`, async ({ page }) => {
      // Many pages, each scanned by axe, on two busy cores.
      test.slow();
      async function expectTheme(): Promise<void> {
        if (theme === "dark") await expect(page.locator("html")).toHaveClass(/\bdark\b/);
        else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
      }

      await page.goto("/sign-in");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
      await expectTheme();
      await expectNoSeriousViolations(page, `sign-in (${theme})`);

      await page.goto("/sign-up");
      await expect(page.getByRole("button", { name: "Create account" })).toBeEnabled();
      await expectNoSeriousViolations(page, `sign-up (${theme})`);

      const { orgSlug } = await signUp(page);
      await waitForHydration(page);
      await expectTheme();
      // The toggle names the other theme: the app follows the browser's preference.
      await expect(
        page.getByRole("button", {
          name: `Switch to ${theme === "dark" ? "light" : "dark"} theme`,
        }),
      ).toBeVisible();
      await expect(page.getByText("No projects yet")).toBeVisible();
      await expectNoSeriousViolations(page, `projects, empty (${theme})`);

      const project = await createProject(page, orgSlug);
      await expectNoSeriousViolations(page, `project page (${theme})`);

      await page.goto(`/${orgSlug}/projects`);
      await expect(
        page.getByRole("main").getByRole("link", { name: new RegExp(project.name) }),
      ).toBeVisible();
      await expectNoSeriousViolations(page, `projects, one project (${theme})`);

      await page.goto(`/${orgSlug}/tickets/new`);
      await expect(field(page, "Title")).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `new ticket (${theme})`);

      const ticket = await createTicket(page, orgSlug, {
        description: "Check contrast and labels.",
      });
      await expect(field(page, "Status")).toBeVisible();
      await expectNoSeriousViolations(page, `ticket page (${theme})`);

      // The spec page in review: requirements, then the design with its drawn diagram.
      await page
        .getByRole("region", { name: "Specs" })
        .getByRole("button", { name: "Start spec" })
        .click();
      await expect(page).toHaveURL(new RegExp(`/${orgSlug}/specs/[^/?#]+$`));
      const main = page.getByRole("main");
      await expect(main.getByText("Requirements review", { exact: true })).toBeVisible({
        timeout: 20_000,
      });
      await expect(main.getByText("REQ-001", { exact: true })).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `spec page, requirements review (${theme})`);
      await page.getByRole("button", { name: "Request changes" }).click();
      await expect(page.getByRole("dialog", { name: "Request changes" })).toBeVisible();
      await expectNoSeriousViolations(page, `spec page, request changes dialog (${theme})`);
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: /Approve requirements/ }).click();
      await expect(main.getByText("Design review", { exact: true })).toBeVisible({
        timeout: 20_000,
      });
      await expect(main.locator("[data-diagram=rendered] svg")).toBeVisible({ timeout: 15_000 });
      await expectNoSeriousViolations(page, `spec page, design review (${theme})`);

      await page.goto(`/${orgSlug}/tickets`);
      await expect(
        page.getByRole("main").getByRole("link", { name: new RegExp(ticket.name) }),
      ).toBeVisible();
      await expectNoSeriousViolations(page, `tickets list (${theme})`);

      await page.goto(`/${orgSlug}/settings`);
      await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `settings (${theme})`);

      await page.goto(`/${orgSlug}/settings/billing`);
      await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `billing (${theme})`);
      await page.goto(`/${orgSlug}/settings/api`);
      await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
      await expectNoSeriousViolations(page, `API reference (${theme})`);
      // ─── Board, its card menu, the palette's search, and the timeline ───────────
      await seedTasks(orgSlug, [
        { key: "1", title: "Add the CSV export", status: "PENDING", labels: ["backend"] },
        { key: "2", title: "Render the preview", status: "QUEUED", requirementIds: ["REQ-001"] },
        {
          key: "3",
          title: "Wire the button",
          status: "RUNNING",
          agentKind: "OFFLINE",
          startedAt: new Date(),
          costUsd: 0.12,
        },
        { key: "4", title: "Check the totals", status: "VERIFYING", phase: "INTEGRATION" },
        {
          key: "5",
          title: "Fix the flaky test",
          status: "NEEDS_ATTENTION",
          attentionReason: "Tests fail",
        },
        { key: "6", title: "Write the docs", status: "DONE", phase: "REFACTORING", costUsd: 0.4 },
        { key: "7", title: "Migrate the table", status: "FAILED", phase: "INITIAL" },
        { key: "8", title: "Drop the old page", status: "CANCELLED" },
      ]);
      await page.goto(`/${orgSlug}/board`);
      await expect(page.locator("[data-board-ready]")).toBeAttached();
      await waitForHydration(page);
      await expectTheme();
      await expectNoSeriousViolations(page, `board (${theme})`);
      await page.screenshot({ path: `test-results/screenshots/board-${theme}.png` });
      await page.getByRole("button", { name: "Actions for task 5" }).click();
      await expect(page.getByRole("menu")).toBeVisible();
      await expectNoSeriousViolations(page, `board, card menu (${theme})`);
      await page.keyboard.press("Escape");
      await page.goto(`/${orgSlug}/board?view=phase`);
      await expect(page.locator("[data-board-ready]")).toBeAttached();
      await expectNoSeriousViolations(page, `board by phase (${theme})`);

      await page.keyboard.press("Control+k");
      await page.keyboard.type("preview");
      await expect(page.getByRole("option", { name: /Render the preview/ })).toBeVisible();
      await expectNoSeriousViolations(page, `command palette with results (${theme})`);
      await page.keyboard.press("Escape");

      await page.goto(`/${orgSlug}/activity`);
      await expect(page.getByRole("main").getByRole("listitem").first()).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `activity (${theme})`);
      await page.screenshot({ path: `test-results/screenshots/activity-${theme}.png` });
    });
  });
}

test("the theme button switches to dark and the pages stay accessible", async ({ page }) => {
  const { orgSlug } = await signUp(page);
  await test.step("switch theme from the sidebar", async () => {
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
  });
  // The choice sticks across navigation and reload.
  await page.goto(`/${orgSlug}/tickets`);
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.getByText("No tickets yet")).toBeVisible();
  await expectNoSeriousViolations(page, "tickets list, empty (dark via toggle)");
});

// The dashboard's pages (graph, task drawer, agents, costs, spec workspace): empty first,
// then seeded with a running task graph and usage so each shows real content. A screenshot
// of each is saved to test-results/screenshots/<page>-<theme>.png.
for (const theme of ["light", "dark"] as const) {
  test.describe(`dashboard, ${theme} theme`, () => {
    test.use({ colorScheme: theme });

    test(`graph, task drawer, agents, costs and spec workspace (${theme})`, async ({ page }) => {
      test.slow();
      const shot = (name: string) =>
        page.screenshot({
          path: path.join("test-results", "screenshots", `${name}-${theme}.png`),
          fullPage: true,
        });
      const { orgSlug } = await signUp(page);
      await waitForHydration(page);

      await page.goto(`/${orgSlug}/graph`);
      await expect(page.getByText("No task graph yet")).toBeVisible();
      await expectNoSeriousViolations(page, `graph, empty (${theme})`);
      await page.goto(`/${orgSlug}/agents`);
      await expect(page.getByText("No agents running")).toBeVisible();
      await expectNoSeriousViolations(page, `agents, empty (${theme})`);
      await page.goto(`/${orgSlug}/costs`);
      await expect(page.getByText("No model usage in this period")).toBeVisible();
      await expectNoSeriousViolations(page, `costs, empty (${theme})`);

      const seeded = await seedDiamondSpec(orgSlug);

      await page.goto(`/${orgSlug}/graph`);
      const canvas = page.getByRole("application", { name: /^Dependency graph of/ });
      await expect(canvas.locator(".react-flow__node")).toHaveCount(6);
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `graph (${theme})`);
      await shot("graph");

      await canvas.getByRole("button", { name: /^Task 2:/ }).click();
      const drawer = page.getByRole("dialog", { name: /Price rules engine/ });
      await expect(drawer.getByRole("log")).toContainText("Running npm test");
      await expectNoSeriousViolations(page, `task drawer (${theme})`);
      await shot("task-drawer");
      await page.keyboard.press("Escape");
      await expect(drawer).toBeHidden();

      await page.goto(`/${orgSlug}/agents`);
      await expect(page.getByRole("log", { name: "Log of task 2" })).toContainText(
        "Running npm test",
      );
      await expectNoSeriousViolations(page, `agents (${theme})`);
      await shot("agents");

      await page.goto(`/${orgSlug}/costs`);
      await expect(page.getByRole("table", { name: "Cost and tokens by model" })).toContainText(
        "claude-haiku-5-5",
      );
      await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
      await expectNoSeriousViolations(page, `costs (${theme})`);
      await shot("costs");

      await page.goto(`/${orgSlug}/specs/${seeded.specId}?tab=execution`);
      await expect(page.getByText("2 of 6 tasks done")).toBeVisible();
      await waitForHydration(page);
      await expectNoSeriousViolations(page, `spec workspace, execution (${theme})`);
      await shot("workspace");

      await page.goto(`/${orgSlug}/specs/${seeded.specId}?tab=tasks&view=graph`);
      await expect(
        page
          .getByRole("application", { name: /^Planned task graph of/ })
          .locator(".react-flow__node"),
      ).toHaveCount(6);
      await expectNoSeriousViolations(page, `spec workspace, tasks graph (${theme})`);
      await shot("workspace-tasks-graph");
    });
  });
}
