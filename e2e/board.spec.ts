import { expect, type Locator, type Page, test } from "@playwright/test";
import { seedDiamondSpec, seedTasks } from "./db";
import { field, signUp, tabTo, unique, waitForHydration } from "./fixtures";

/*
 * The Kanban board. Tasks are seeded straight into the e2e server's database (a
 * spec's tasks in every status take a whole pipeline run to make through the UI);
 * everything else goes through the browser: sign-up, drags with the mouse, the
 * same moves with the keyboard alone, and reloads to prove they were saved.
 */

function column(page: Page, name: string): Locator {
  return page.getByRole("region", { name: new RegExp(`^${name}\\s*\\d+ tasks?$`) });
}

function card(page: Page, title: string): Locator {
  return page
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

async function openBoard(page: Page, orgSlug: string, query = ""): Promise<void> {
  await page.goto(`/${orgSlug}/board${query}`);
  await expect(page.locator("[data-board-ready]")).toBeAttached();
  await waitForHydration(page);
}

/** Drags with real mouse events: press on the card, move in steps (dnd-kit waits for 6 px), release. */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  await from.scrollIntoViewIfNeeded();
  const a = await from.boundingBox();
  if (!a) throw new Error("card not visible");
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 5 });
  // The target may scroll into view once the drag starts (auto-scroll); measure it late.
  await to.scrollIntoViewIfNeeded();
  const b = await to.boundingBox();
  if (!b) throw new Error("target not visible");
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 80), { steps: 15 });
  await page.mouse.up();
}

/**
 * dnd-kit starts listening for arrow keys a tick after the pick-up (so the Space that picked
 * the card up cannot also move it): wait until it says where the card is before pressing one.
 */
async function pickedUp(page: Page): Promise<void> {
  await expect(page.locator("[id^=DndLiveRegion]")).toContainText("is over its own place");
  await page.waitForTimeout(50);
}

/** The polite status line the board speaks through after each move. */
function boardStatus(page: Page): Locator {
  return page.locator("[data-board-announcer]");
}

async function titlesIn(col: Locator): Promise<string[]> {
  return col.getByRole("link").allInnerTexts();
}

test.describe("board", () => {
  test("drag a card to another column with the mouse: it stays there after a reload", async ({
    page,
  }) => {
    const { orgSlug } = await signUp(page);
    const stuck = unique("Fix the flaky login test");
    const waiting = unique("Wire the export button");
    await seedTasks(orgSlug, [
      { key: "1", title: stuck, status: "NEEDS_ATTENTION", attentionReason: "Tests keep failing" },
      { key: "2", title: waiting, status: "PENDING" },
    ]);
    await openBoard(page, orgSlug);
    await expect(column(page, "Needs attention").getByRole("link", { name: stuck })).toBeVisible();

    await drag(page, card(page, stuck), column(page, "Done"));
    await expect(boardStatus(page)).toHaveText("Moved task 1 to Done.");
    // A drag is not a click: the task's drawer stays shut.
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/board$`));
    await expect(column(page, "Done").getByRole("link", { name: stuck })).toBeVisible();

    await page.reload();
    await expect(page.locator("[data-board-ready]")).toBeAttached();
    await expect(column(page, "Done").getByRole("link", { name: stuck })).toBeVisible();
    await expect(column(page, "Needs attention").getByRole("link", { name: stuck })).toHaveCount(0);

    // The move is on the timeline, in words.
    await page.goto(`/${orgSlug}/activity`);
    await expect(
      page.getByRole("main").getByText(new RegExp(`marked task 1 ${stuck} of “.+” done`)),
    ).toBeVisible();
  });

  test("a forbidden drop is refused with a message and the card goes back", async ({ page }) => {
    const { orgSlug } = await signUp(page);
    const waiting = unique("Add the CSV export");
    await seedTasks(orgSlug, [{ key: "3", title: waiting, status: "PENDING" }]);
    await openBoard(page, orgSlug);

    await drag(page, card(page, waiting), column(page, "Done"));
    const message = `Cannot move “${waiting}” (task 3) to Done: a pending task is marked done when its verification passes; only a task that needs attention can be marked done by hand.`;
    await expect(page.locator("[data-sonner-toast]").filter({ hasText: message })).toBeVisible();
    await expect(column(page, "Pending").getByRole("link", { name: waiting })).toBeVisible();
    await expect(column(page, "Done").getByRole("link", { name: waiting })).toHaveCount(0);

    await page.reload();
    await expect(page.locator("[data-board-ready]")).toBeAttached();
    await expect(column(page, "Pending").getByRole("link", { name: waiting })).toBeVisible();

    // In the phase view a drop on another phase is refused too: the plan owns the phase.
    await page.getByRole("link", { name: "By phase" }).click();
    await expect(page).toHaveURL(/view=phase/);
    await expect(page.locator("[data-board-ready]")).toBeAttached();
    await drag(page, card(page, waiting), column(page, "Refactoring"));
    await expect(
      page
        .locator("[data-sonner-toast]")
        .filter({ hasText: `Cannot move “${waiting}” (task 3) to Refactoring` }),
    ).toBeVisible();
    await expect(column(page, "Implementation").getByRole("link", { name: waiting })).toBeVisible();
  });

  test("the same moves with the keyboard alone: drag with Space and arrows, and the card menu", async ({
    page,
  }) => {
    const { orgSlug } = await signUp(page);
    const stuck = unique("Retry the webhook");
    const first = unique("Index the orders table");
    const second = unique("Cache the price list");
    const third = unique("Document the API");
    // Two specs: marking task 1 done queues its own spec's ready tasks, which would take the
    // pending ones along if they shared it.
    await seedTasks(orgSlug, [{ key: "1", title: stuck, status: "NEEDS_ATTENTION" }], "Webhooks");
    await seedTasks(orgSlug, [
      { key: "2.1", title: first, status: "PENDING" },
      { key: "2.2", title: second, status: "PENDING" },
      { key: "2.3", title: third, status: "PENDING" },
    ]);
    await openBoard(page, orgSlug);

    await test.step("pick up with Space, move right one column, drop with Space", async () => {
      const link = column(page, "Needs attention").getByRole("link", { name: stuck });
      await tabTo(page, link, 80);
      await page.keyboard.press("Space");
      await pickedUp(page);
      await page.keyboard.press("ArrowRight");
      await expect(page.locator("[id^=DndLiveRegion]")).toContainText("is over the Done column");
      await page.keyboard.press("Space");
      await expect(boardStatus(page)).toHaveText("Moved task 1 to Done.");
      await expect(column(page, "Done").getByRole("link", { name: stuck })).toBeFocused();
    });

    await test.step("raise a task's priority with Space and the up arrow", async () => {
      const link = column(page, "Pending").getByRole("link", { name: third });
      await tabTo(page, link, 80);
      await page.keyboard.press("Space");
      await pickedUp(page);
      await page.keyboard.press("ArrowUp");
      await expect(page.locator("[id^=DndLiveRegion]")).toContainText(
        "is over Pending, position 2 of 3",
      );
      await page.keyboard.press("Space");
      await expect(boardStatus(page)).toHaveText("Task 2.3 is now after 2.1.");
      expect(await titlesIn(column(page, "Pending"))).toEqual([first, third, second]);
    });

    await test.step("the card menu: Move up, then Move to Cancelled", async () => {
      const menuButton = page.getByRole("button", { name: "Actions for task 2.3" });
      await tabTo(page, menuButton, 80);
      await page.keyboard.press("Enter");
      const menu = page.getByRole("menu");
      await expect(menu.getByRole("menuitem").first()).toBeFocused();
      // Only the moves the state machine allows are offered.
      const statusMoves = menu.getByRole("menuitem", { name: /^Move to (?!top|bottom)/ });
      await expect(statusMoves).toHaveText([/^Move to Cancelled/]);
      for (let i = 0; i < 10; i++) {
        if (
          await menu
            .getByRole("menuitem", { name: "Move up" })
            .evaluate((el) => el === document.activeElement)
        )
          break;
        await page.keyboard.press("ArrowDown");
      }
      await page.keyboard.press("Enter");
      await expect(boardStatus(page)).toHaveText("Task 2.3 is now before 2.1.");
      expect(await titlesIn(column(page, "Pending"))).toEqual([third, first, second]);
      await expect(column(page, "Pending").getByRole("link", { name: third })).toBeFocused();

      await tabTo(page, page.getByRole("button", { name: "Actions for task 2.2" }), 10);
      await page.keyboard.press("Enter");
      await expect(page.getByRole("menu").getByRole("menuitem").first()).toBeFocused();
      for (let i = 0; i < 10; i++) {
        const item = page.getByRole("menuitem", { name: /Move to Cancelled/ });
        if (await item.evaluate((el) => el === document.activeElement)) break;
        await page.keyboard.press("ArrowDown");
      }
      await page.keyboard.press("Enter");
      await expect(boardStatus(page)).toHaveText("Moved task 2.2 to Cancelled.");
      await expect(column(page, "Cancelled").getByRole("link", { name: second })).toBeFocused();
    });

    await test.step("a forbidden keyboard drop is refused with a message", async () => {
      const link = column(page, "Pending").getByRole("link", { name: first });
      await tabTo(page, link, 80);
      await page.keyboard.press("Space");
      await pickedUp(page);
      await page.keyboard.press("ArrowRight");
      await expect(page.locator("[id^=DndLiveRegion]")).toContainText("is over the Queued column");
      await page.keyboard.press("Space");
      await expect(
        page
          .locator("[data-sonner-toast]")
          .filter({ hasText: `Cannot move “${first}” (task 2.1) to Queued` }),
      ).toBeVisible();
      await expect(column(page, "Pending").getByRole("link", { name: first })).toBeVisible();
    });

    await test.step("everything stayed after a reload", async () => {
      await page.reload();
      await expect(page.locator("[data-board-ready]")).toBeAttached();
      await expect(column(page, "Done").getByRole("link", { name: stuck })).toBeVisible();
      await expect(column(page, "Cancelled").getByRole("link", { name: second })).toBeVisible();
      expect(await titlesIn(column(page, "Pending"))).toEqual([third, first]);
    });
  });

  test("filters live in the URL; a board with no tasks says how to get some", async ({ page }) => {
    const { orgSlug } = await signUp(page);
    await page.goto(`/${orgSlug}/board`);
    await expect(page.getByRole("heading", { name: "No tasks yet" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "New ticket" })).toBeVisible();

    const front = unique("Style the checkout");
    const back = unique("Validate the coupon");
    await seedTasks(orgSlug, [
      { key: "1", title: front, status: "QUEUED", labels: ["frontend"] },
      { key: "2", title: back, status: "QUEUED", labels: ["backend"] },
    ]);
    await openBoard(page, orgSlug);
    await field(page, "Label").selectOption("frontend");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/label=frontend/);
    await expect(page.getByRole("link", { name: front })).toBeVisible();
    await expect(page.getByRole("link", { name: back })).toHaveCount(0);
    await expect(page.getByText("1 task match")).toBeVisible();
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page.getByRole("link", { name: back })).toBeVisible();

    // Enter on a card opens the task in the drawer; Esc closes it and the card has focus again.
    const backLink = page.getByRole("link", { name: back });
    await backLink.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/tasks/tsk_`));
    const drawer = page.getByRole("dialog", { name: `2 ${back}` });
    await expect(drawer).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/board`));
    await expect(backLink).toBeFocused();
  });

  test("a card opens its task in a drawer over the board: tabs, Esc back to the card, a reload shows the page", async ({
    page,
  }) => {
    const { orgSlug } = await signUp(page);
    const seeded = await seedDiamondSpec(orgSlug);
    await openBoard(page, orgSlug);
    const running = card(page, "Price rules engine");

    await test.step("a running card shows its agent, how long it has run and its cost", async () => {
      await expect(running).toContainText("Claude");
      await expect(running).toContainText("$0.25");
      const elapsed = running.getByTitle("Running for");
      await expect(elapsed).toHaveText(/^Running for \d+ min \d+ s$/);
      const first = await elapsed.textContent();
      await expect.poll(() => elapsed.textContent()).not.toBe(first);
    });

    const drawer = page.getByRole("dialog", { name: "2 Price rules engine" });
    await test.step("a click opens the drawer over the board, with the task's tabs", async () => {
      await running.getByRole("link", { name: "Price rules engine" }).click();
      await expect(drawer).toBeVisible();
      await expect(page).toHaveURL(`/${orgSlug}/tasks/${seeded.ids.get("2")}`);
      await expect(drawer.getByRole("tablist", { name: "Task views" }).getByRole("tab")).toHaveText(
        ["Log", "Diff", "Verification", "Cost", "Trace"],
      );
      await expect(drawer.getByRole("log")).toContainText("Running npm test -- pricing");
      await expect(drawer.getByRole("region", { name: "Agent" })).toContainText(
        "claude-sonnet-5-5",
      );
      // The board stays drawn behind it (hidden from assistive technology while the dialog is open).
      const behind = page.locator("[data-board-ready] [data-task-card]", {
        hasText: "Checkout flow",
      });
      await expect(behind).toBeVisible();

      await drawer.getByRole("tab", { name: "Cost" }).click();
      await expect(drawer.getByRole("tabpanel", { name: "Cost" }).getByRole("table")).toContainText(
        "claude",
      );
      // With the keyboard: the arrow keys go on to the next tab.
      await page.keyboard.press("ArrowRight");
      await expect(drawer.getByRole("tab", { name: "Trace" })).toBeFocused();
      await expect(drawer.getByRole("tab", { name: "Trace" })).toHaveAttribute(
        "aria-selected",
        "true",
      );
      await expect(behind).toBeVisible();
    });

    await test.step("Esc closes it and the card has focus again", async () => {
      await page.keyboard.press("Escape");
      await expect(drawer).toBeHidden();
      await expect(page).toHaveURL(`/${orgSlug}/board`);
      await expect(running.getByRole("link", { name: "Price rules engine" })).toBeFocused();
    });

    await test.step("the task's URL, reloaded, is its full page", async () => {
      await running.getByRole("link", { name: "Price rules engine" }).click();
      await expect(drawer).toBeVisible();
      await page.reload();
      await expect(
        page.getByRole("heading", { level: 1, name: /Price rules engine/ }),
      ).toBeVisible();
      await expect(page.getByRole("dialog")).toHaveCount(0);
      await expect(page.getByRole("log")).toContainText("Running npm test -- pricing");
    });
  });

  test("a long column draws 50 cards and shows the rest on request; counts are complete", async ({
    page,
  }) => {
    const { orgSlug } = await signUp(page);
    await seedTasks(
      orgSlug,
      Array.from({ length: 53 }, (_, i) => ({
        key: `${i + 1}`,
        title: `Backlog item ${i + 1}`,
        status: "PENDING",
      })),
    );
    await openBoard(page, orgSlug);
    const pending = column(page, "Pending");
    await expect(pending).toHaveAccessibleName(/^Pending\s*53 tasks$/);
    await expect(pending.getByRole("link")).toHaveCount(50);
    const more = pending.getByRole("button", { name: "Show 3 more Pending tasks (3 not shown)" });
    await more.focus();
    await page.keyboard.press("Enter");
    await expect(pending.getByRole("link")).toHaveCount(53);
    await expect(pending.getByRole("link", { name: "Backlog item 53", exact: true })).toBeVisible();
  });
});
