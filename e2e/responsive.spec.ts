import { expect, type Page, test } from "@playwright/test";
import { seedDiamondSpec, withE2eDb } from "./db";
import { signUp } from "./fixtures";

/** The window itself does not scroll sideways: only a page's own scroll areas (board columns) may. */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what} scrolls the window sideways`).toBeLessThanOrEqual(innerWidth);
}

test("at phone width the menu opens the navigation and no page scrolls sideways", async ({
  page,
}) => {
  test.slow();
  await page.setViewportSize({ width: 390, height: 844 });
  const { orgSlug } = await signUp(page);
  const spec = await seedDiamondSpec(
    orgSlug,
    "Checkout with a title long enough to wrap on a phone",
  );

  await page.goto(`/${orgSlug}/projects`);
  // No sidebar beside the page: the top bar's menu button opens it as a sheet.
  await expect(page.getByRole("complementary", { name: "Sidebar" })).toBeHidden();
  const menu = page.getByRole("button", { name: "Open navigation" });
  const sheet = page.getByRole("dialog", { name: "Navigation" });
  // Until the page hydrates the button does nothing; retry from the keyboard.
  await expect(async () => {
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(sheet).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(sheet.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await expect(menu).toBeFocused();

  await menu.click();
  await sheet.getByRole("link", { name: "Board" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/board$`));
  await expect(sheet).toBeHidden();
  await expect(page.locator("[data-board-ready]")).toBeAttached();

  const pages: [string, string][] = [
    ["projects", `/${orgSlug}/projects`],
    ["board", `/${orgSlug}/board`],
    ["spec", `/${orgSlug}/specs/${spec.specId}`],
    ["spec execution", `/${orgSlug}/specs/${spec.specId}?tab=execution`],
    ["activity", `/${orgSlug}/activity`],
    ["costs", `/${orgSlug}/costs`],
    ["settings", `/${orgSlug}/settings`],
  ];
  for (const [what, path] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeAttached();
    await expectNoSidewaysScroll(page, what);
  }
  // The spec's page, at its current width, still shows where it is and its phase tabs.
  await page.goto(`/${orgSlug}/specs/${spec.specId}`);
  await expect(page.getByRole("navigation", { name: "Spec phases" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Execution" })).toBeAttached();
});

test("at 1440 px the board, graph and activity do not scroll the window sideways", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const { orgSlug } = await signUp(page);
  await seedDiamondSpec(orgSlug);
  await page.goto(`/${orgSlug}/board`);
  await expect(page.locator("[data-board-ready]")).toBeAttached();
  await expectNoSidewaysScroll(page, "board");
  await page.goto(`/${orgSlug}/graph`);
  await expect(
    page.getByRole("application", { name: "Dependency graph of Checkout" }),
  ).toBeVisible();
  await expectNoSidewaysScroll(page, "graph");

  // With the billing banner above it, the graph still fits the window: its controls stay on screen.
  await withE2eDb((db) =>
    db.organization.update({ where: { slug: orgSlug }, data: { subscriptionStatus: "PAST_DUE" } }),
  );
  await page.goto(`/${orgSlug}/graph`);
  await expect(page.getByRole("region", { name: "Billing notice" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Fit the whole graph in view" })).toBeInViewport({
    ratio: 1,
  });
  const height = await page.evaluate(() => ({
    scrollHeight: document.scrollingElement?.scrollHeight ?? 0,
    innerHeight: window.innerHeight,
  }));
  expect(height.scrollHeight, "the graph page is taller than the window").toBeLessThanOrEqual(
    height.innerHeight,
  );
  await page.goto(`/${orgSlug}/activity`);
  await expect(page.getByRole("heading", { level: 1, name: "Activity" })).toBeAttached();
  await expectNoSidewaysScroll(page, "activity");
});
