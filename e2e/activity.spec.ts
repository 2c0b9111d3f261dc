import { expect, test } from "@playwright/test";
import { orgIdOf, withE2eDb } from "./db";
import { createProject, field, signUp, tabTo, waitForHydration } from "./fixtures";

/*
 * The activity timeline: filters in the URL, infinite scroll by sequence number
 * (and a button for keyboard users), and every event type in words, including
 * ones the timeline has no sentence for yet.
 */

test("the timeline scrolls back through history, filtered by type and project", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  const web = await createProject(page, orgSlug, { name: `Web ${Date.now()}` });
  // 130 task events (two pages and a bit), then one of a type with no sentence yet.
  await withE2eDb(async (db) => {
    const orgId = await orgIdOf(db, orgSlug);
    for (let i = 1; i <= 130; i++) {
      await db.activityEvent.create({
        data: {
          orgId,
          type: "task.completed",
          actorKind: "AGENT",
          projectId: i % 2 === 0 ? web.id : null,
          data: { key: `${i}`, title: `Step ${i}` },
        },
      });
    }
    await db.activityEvent.create({
      data: { orgId, type: "guardian.nudged", actorKind: "SYSTEM", data: { reason: "stalled" } },
    });
  });

  await page.goto(`/${orgSlug}/activity`);
  await waitForHydration(page);
  const main = page.getByRole("main");
  const events = main.getByRole("listitem");
  await expect(main.getByText("Trellis · guardian.nudged")).toBeVisible();
  await expect(main.getByText("Task 130 Step 130 done")).toBeVisible();
  await expect(events).toHaveCount(50);

  await test.step("scrolling to the end loads older pages until the beginning", async () => {
    await events.last().scrollIntoViewIfNeeded();
    await expect(events).toHaveCount(100);
    await page.getByRole("button", { name: "Load older activity" }).scrollIntoViewIfNeeded();
    await expect(
      main.getByText("That is everything: the beginning of this history."),
    ).toBeVisible();
    // 131 seeded, plus org.created, member events and project.created from the UI.
    const total = await events.count();
    expect(total).toBeGreaterThan(131);
    const seqs = await events.evaluateAll((els) =>
      els.map((el) => Number(el.getAttribute("data-seq"))),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  await test.step("the Load older button works from the keyboard", async () => {
    // Without IntersectionObserver (as if the end never scrolled into view) the button is the way.
    const context = page.context();
    const keyboardPage = await context.newPage();
    await keyboardPage.addInitScript(() => {
      window.IntersectionObserver = class {
        observe() {}
        unobserve() {}
        disconnect() {}
        takeRecords() {
          return [];
        }
      } as unknown as typeof IntersectionObserver;
    });
    await keyboardPage.goto(`/${orgSlug}/activity?type=task`);
    await waitForHydration(keyboardPage);
    const rows = keyboardPage.getByRole("main").getByRole("listitem");
    await expect(rows).toHaveCount(50);
    const more = keyboardPage.getByRole("button", { name: "Load older activity" });
    await tabTo(keyboardPage, more, 90);
    await keyboardPage.keyboard.press("Enter");
    await expect(rows).toHaveCount(100);
    await expect(
      keyboardPage.getByRole("status").filter({ hasText: "Loaded 50 older events." }),
    ).toBeAttached();
    await expect(more).toBeFocused();
    await keyboardPage.keyboard.press("Enter");
    await expect(rows).toHaveCount(130);
    await expect(
      keyboardPage.getByText("That is everything: the beginning of this history."),
    ).toBeVisible();
    await keyboardPage.close();
  });

  await test.step("filters: a family chip and a project, kept in the URL", async () => {
    await page.goto(`/${orgSlug}/activity`);
    await main.getByRole("link", { name: "Projects", exact: true }).click();
    await expect(page).toHaveURL(`/${orgSlug}/activity?type=project`);
    await expect(main.getByText(new RegExp(`created project ${web.name}`))).toBeVisible();
    await expect(main.getByText(/Task \d+ Step/)).toHaveCount(0);

    await page.goto(`/${orgSlug}/activity?type=task`);
    await field(page, "Project").selectOption({ label: web.name });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`type=task&project=${web.id}`));
    await expect(main.getByText("Task 130 Step 130 done")).toBeVisible();
    await expect(main.getByText("Task 129 Step 129 done")).toHaveCount(0);
    // 65 even-numbered events: a full page, then the rest on scroll.
    await expect(events).toHaveCount(50);
    await page.getByRole("button", { name: "Load older activity" }).scrollIntoViewIfNeeded();
    await expect(events).toHaveCount(65);
  });
});
