import { expect, type Page, test } from "@playwright/test";
import { seedTasks } from "./db";
import { createProject, createTicket, field, signUp, unique, waitForHydration } from "./fixtures";

/*
 * The command palette, from the keyboard alone: Ctrl+K, type, arrows, Enter.
 * It searches the organization on the server and runs every listed action.
 */

function palette(page: Page) {
  return page.getByRole("dialog", { name: "Command palette" });
}

async function openPalette(page: Page): Promise<void> {
  await page.keyboard.press("Control+k");
  await expect(palette(page)).toBeVisible();
  await expect(palette(page).getByRole("combobox", { name: "Search commands" })).toBeFocused();
}

/** Ctrl+K, type `text`, wait until `option` is the highlighted choice, Enter. */
async function runFromPalette(page: Page, text: string, option: string | RegExp): Promise<void> {
  await openPalette(page);
  await page.keyboard.type(text);
  await expect(palette(page).locator("[cmdk-item][data-selected=true]")).toHaveText(option);
  await page.keyboard.press("Enter");
  await expect(palette(page)).toBeHidden();
}

test("Ctrl+K finds a task by a word of its title and Enter opens it", async ({ page }) => {
  const { orgSlug } = await signUp(page);
  const word = `zebra${Date.now().toString(36)}`;
  const title = `Render the ${word} invoice preview`;
  const { ids } = await seedTasks(orgSlug, [
    { key: "4.2", title, status: "QUEUED" },
    { key: "4.3", title: "Email the receipts", status: "QUEUED" },
  ]);
  await waitForHydration(page);

  await openPalette(page);
  await page.keyboard.type(word);
  const result = palette(page).getByRole("option", { name: new RegExp(`Task: ${title}`) });
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute("data-selected", "true");
  await expect(result).toContainText("4.2 · Queued · Checkout");
  await expect(palette(page).getByRole("option", { name: /Email the receipts/ })).toHaveCount(0);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/${orgSlug}/tasks/${ids.get("4.2")}`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(title) })).toBeVisible();

  // Arrow keys reach a result below the first; a ticket opens its page.
  const ticket = await createTicket(page, orgSlug, { title: unique(`Ship the ${word} export`) });
  await openPalette(page);
  await page.keyboard.type(word);
  const ticketOption = palette(page).getByRole("option", {
    name: new RegExp(`Ticket: ${ticket.name}`),
  });
  await expect(ticketOption).toBeVisible();
  for (let i = 0; i < 5 && (await ticketOption.getAttribute("data-selected")) !== "true"; i++) {
    await page.keyboard.press("ArrowDown");
  }
  await expect(ticketOption).toHaveAttribute("data-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`/${orgSlug}/tickets/${ticket.id}`);
});

test("every palette action works from the keyboard alone", async ({ page }) => {
  test.slow(); // a spec phase is drafted by the worker on the way
  const account = await signUp(page, { name: "Grace Hopper" });
  const { orgSlug } = account;
  await waitForHydration(page);

  await test.step("new ticket", async () => {
    await runFromPalette(page, "new ticket", /New ticket/);
    await expect(page).toHaveURL(`/${orgSlug}/tickets/new`);
    await expect(page.getByRole("heading", { level: 1, name: "New ticket" })).toBeVisible();
  });

  await test.step("open board", async () => {
    await runFromPalette(page, "open board", /Open board/);
    await expect(page).toHaveURL(`/${orgSlug}/board`);
    await expect(page.getByRole("heading", { level: 1, name: "Board" })).toBeAttached();
  });

  await test.step("open graph", async () => {
    await runFromPalette(page, "open graph", /Open graph/);
    await expect(page).toHaveURL(`/${orgSlug}/graph`);
    await expect(page.getByRole("heading", { level: 1, name: "Graph" })).toBeAttached();
  });

  await test.step("toggle theme, twice", async () => {
    const dark = (await page.locator("html").getAttribute("class"))?.includes("dark") ?? false;
    await runFromPalette(page, "toggle theme", /Toggle theme/);
    if (dark) await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    else await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await runFromPalette(page, "toggle theme", /Toggle theme/);
    if (dark) await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
  });

  await test.step("switch organization", async () => {
    const second = unique("Analytical Engines");
    await runFromPalette(page, "new organization", /New organization/);
    await expect(page).toHaveURL("/orgs/new");
    await expect(field(page, "Organization name")).toBeFocused();
    await page.keyboard.type(second);
    await page.keyboard.press("Enter");
    await expect(page).not.toHaveURL(/\/orgs\/new$/);
    await expect(page).not.toHaveURL(new RegExp(`/${orgSlug}/`));
    await waitForHydration(page);
    await runFromPalette(page, "switch to grace", /Switch to Grace Hopper's workspace/);
    await expect(page).toHaveURL(`/${orgSlug}/projects`);
  });

  await test.step("approve the phase in review", async () => {
    await createProject(page, orgSlug);
    await createTicket(page, orgSlug, { description: "Users export the board as CSV." });
    await page
      .getByRole("region", { name: "Specs" })
      .getByRole("button", { name: "Start spec" })
      .click();
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/specs/spc_`));
    const main = page.getByRole("main");
    await expect(main.getByText("Requirements review", { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await waitForHydration(page);
    await runFromPalette(page, "approve", /Approve the requirements of/);
    await expect(
      page.locator("[data-sonner-toast]").filter({ hasText: "Approved the requirements" }),
    ).toBeVisible();
    await expect(main.getByText("Design review", { exact: true })).toBeVisible({ timeout: 30_000 });
    // Away from a spec in review there is nothing to approve.
    await page.goto(`/${orgSlug}/board`);
    await waitForHydration(page);
    await openPalette(page);
    await page.keyboard.type("approve");
    await expect(palette(page).getByRole("option", { name: /^Approve/ })).toHaveCount(0);
    await page.keyboard.press("Escape");
  });
});
