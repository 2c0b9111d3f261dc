import { expect, test } from "@playwright/test";
import { diamond, diamondEdges, SEED_WORKER, seedDiamondSpec, seedTasks } from "./db";
import { signUp, waitForHydration } from "./fixtures";

test("the graph draws a six-task diamond, marks the blocked task and opens the task drawer", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  const seeded = await seedDiamondSpec(orgSlug);
  const id = (key: string) => seeded.ids.get(key)!;

  await page.goto(`/${orgSlug}/graph`);
  await waitForHydration(page);
  const canvas = page.getByRole("application", { name: "Dependency graph of Checkout" });
  await expect(canvas).toBeVisible();

  await test.step("six nodes, one per task, in dependency order", async () => {
    const nodes = canvas.locator(".react-flow__node");
    await expect(nodes).toHaveCount(6);
    await expect(nodes.locator("[data-task-key]")).toHaveText(
      diamond.map((t) => new RegExp(`^${t.key}.*${t.title}`)),
    );
    for (const task of diamond) {
      await expect(
        canvas.getByRole("button", { name: new RegExp(`^Task ${task.key}: ${task.title}\\.`) }),
      ).toBeVisible();
    }
  });

  await test.step("the right edges: each dependency to its dependent, nothing else", async () => {
    await expect(canvas.locator(".react-flow__edge")).toHaveCount(diamondEdges.length);
    for (const [from, to] of diamondEdges) {
      await expect(canvas.getByTestId(`rf__edge-${from}->${to}`)).toHaveCount(1);
      await expect(
        canvas.getByRole("img", { name: `Task ${to} depends on task ${from}` }),
      ).toHaveCount(1);
    }
    // The running task's edges move; the critical path is drawn heavier.
    await expect(canvas.getByTestId(`rf__edge-2->5`)).toHaveClass(/animated/);
    await expect(canvas.getByTestId(`rf__edge-3->5`)).not.toHaveClass(/animated/);
    await expect(canvas.getByTestId(`rf__edge-5->6`)).toHaveClass(/is-critical/);
    await expect(canvas.getByTestId(`rf__edge-1->3`)).not.toHaveClass(/is-critical/);
    await expect(page.getByText("1 → 2 → 5 → 6")).toBeVisible();
  });

  await test.step("the blocked task says what it waits for", async () => {
    const blocked = canvas.locator('[data-task-key="5"]');
    await expect(blocked).toHaveAttribute("data-blocked", "true");
    await expect(blocked).toContainText("Blocked");
    await expect(blocked).toContainText("Waits for 2 (running), 4 (failed)");
    await expect(
      canvas.getByRole("button", {
        name: "Task 5: Checkout flow. Blocked. Waits for 2 (running), 4 (failed). on the critical path",
      }),
    ).toBeVisible();
    // A running or finished task is not blocked.
    await expect(canvas.locator('[data-task-key="3"]')).not.toHaveAttribute("data-blocked");
  });

  await test.step("clicking a node opens the task drawer; Escape closes it", async () => {
    await canvas.getByRole("button", { name: /^Task 5: Checkout flow/ }).click();
    const drawer = page.getByRole("dialog", { name: "5 Checkout flow" });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByText("Waits for 2 (running), 4 (failed)")).toBeVisible();
    const deps = drawer.getByRole("region", { name: "Depends on" });
    await expect(deps.getByRole("link")).toHaveText([
      /2.*Price rules engine/,
      /3.*Cart API/,
      /4.*Tax lookup/,
    ]);
    await expect(drawer.getByRole("link", { name: /Open full page/ })).toHaveAttribute(
      "href",
      `/${orgSlug}/tasks/${id("5")}`,
    );
    // The task's own URL, the graph still drawn behind the drawer.
    await expect(page).toHaveURL(`/${orgSlug}/tasks/${id("5")}`);
    await expect(canvas.locator(".react-flow__node")).toHaveCount(6);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/graph`));
  });

  await test.step("from the keyboard: Enter on a focused node opens it, with agent and log", async () => {
    const running = canvas.getByRole("button", { name: /^Task 2: Price rules engine/ });
    await running.focus();
    await page.keyboard.press("Enter");
    const drawer = page.getByRole("dialog", { name: "2 Price rules engine" });
    await expect(drawer).toBeVisible();
    const agent = drawer.getByRole("region", { name: "Agent" });
    await expect(agent).toContainText("claude");
    await expect(agent).toContainText("claude-sonnet-5-5");
    await expect(agent).toContainText(SEED_WORKER);
    await expect(drawer.getByRole("log")).toContainText("Running npm test -- pricing");
    await expect(agent).toContainText("$0.2476");
    // Focus stays in the drawer while it is open, and goes back to the node after.
    for (let i = 0; i < 8; i++) await page.keyboard.press("Tab");
    await expect
      .poll(() => drawer.evaluate((el) => el.contains(document.activeElement)))
      .toBe(true);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(running).toBeFocused();
  });

  await test.step("the spec's Tasks tab draws the same plan as a graph", async () => {
    await page.goto(`/${orgSlug}/specs/${seeded.specId}?tab=tasks`);
    await page
      .getByRole("navigation", { name: "Tasks view" })
      .getByRole("link", { name: "Graph" })
      .click();
    const plan = page.getByRole("application", { name: "Planned task graph of Checkout" });
    await expect(plan.locator(".react-flow__node")).toHaveCount(6);
    await expect(plan.locator(".react-flow__edge")).toHaveCount(diamondEdges.length);
    for (const [from, to] of diamondEdges) {
      await expect(plan.getByTestId(`rf__edge-${from}->${to}`)).toHaveCount(1);
    }
    // A plan has no statuses yet: nothing is blocked, nothing opens.
    await expect(plan.locator("[data-blocked]")).toHaveCount(0);
    await expect(plan.locator('[data-task-key="5"]')).toContainText("Planned");
  });
});

test("a graph with nothing to draw says why and offers the next step", async ({ page }) => {
  const { orgSlug } = await signUp(page);
  const main = page.getByRole("main");

  await page.goto(`/${orgSlug}/graph`);
  await expect(main.getByRole("heading", { name: "No task graph yet" })).toBeVisible();
  await expect(main.getByRole("link", { name: "View tickets" })).toHaveAttribute(
    "href",
    `/${orgSlug}/tickets`,
  );
  await main.getByRole("link", { name: "New ticket" }).click();
  await expect(page).toHaveURL(`/${orgSlug}/tickets/new`);

  // A spec whose task graph is not approved yet.
  const { specId } = await seedTasks(orgSlug, [], "Search");
  await page.goto(`/${orgSlug}/graph?spec=${specId}`);
  await expect(main.getByRole("heading", { name: "This spec has no tasks yet" })).toBeVisible();
  await main.getByRole("link", { name: "Open the spec" }).click();
  await expect(page).toHaveURL(`/${orgSlug}/specs/${specId}`);
});
