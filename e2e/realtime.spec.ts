import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import {
  createProject,
  createTicket,
  field,
  signUp,
  ticketList,
  unique,
  uniqueEmail,
  waitForHydration,
} from "./fixtures";

/*
 * Two people in one organization, each in their own browser context: what one does (and what
 * the worker does) appears in the other's open page without a reload; after the network drops
 * and comes back, what was missed arrives, and nothing shows twice.
 */

// The bound for a change to reach another open browser. Counted from when the acting
// browser has seen its own change committed.
const LIVE_MS = 2_000;

/** The owner's invite link, followed by a new member in their own context. */
async function inviteMember(browser: Browser, owner: Page, orgSlug: string) {
  await owner.goto(`/${orgSlug}/settings`);
  await field(owner, "Role for the new member").selectOption("MEMBER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await field(owner, "New invite link").inputValue();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await page.getByRole("link", { name: "Create an account" }).click();
  await field(page, "Name").fill("Bea Member");
  await field(page, "Email").fill(uniqueEmail("bea"));
  await field(page, "Password").fill("member-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/invite\//);
  await page.getByRole("button", { name: /^Join .* as member/i }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/projects$`));
  return { context, page };
}

function liveStatus(page: Page): Locator {
  return page.getByRole("button", { name: /^Live updates: / });
}

function phaseStep(page: Page, step: string): Locator {
  return page
    .getByRole("list", { name: "Phases" })
    .getByRole("listitem")
    .filter({ hasText: step })
    .locator("[data-status]");
}

test("changes by another person or the worker appear live in an open page, and missed ones arrive once after going offline", async ({
  browser,
}) => {
  test.slow(); // a spec phase runs on the worker in the middle
  const ownerContext = await browser.newContext();
  const a = await ownerContext.newPage();
  const ada = await signUp(a, { name: "Ada Owner" });
  const project = await createProject(a, ada.orgSlug);
  const { context: memberContext, page: b } = await inviteMember(browser, a, ada.orgSlug);

  // B opens the ticket list once; from here on B only clicks (no reloads, no new page loads).
  await b.goto(`/${ada.orgSlug}/tickets`);
  await waitForHydration(b);
  await expect(liveStatus(b)).toHaveAccessibleName("Live updates: live");

  const first = unique("Live ticket");
  await test.step("a ticket A files appears in B's ticket list", async () => {
    await createTicket(a, ada.orgSlug, { title: first, projectName: project.name });
    await expect(ticketList(b).getByText(first, { exact: true })).toBeVisible({ timeout: LIVE_MS });
  });

  await test.step("a phase A approves shows in B's spec page; the worker's next phase follows", async () => {
    // A starts a spec; the worker drafts its requirements.
    const specs = a.getByRole("region", { name: "Specs" });
    await specs.getByRole("button", { name: "Start spec" }).click();
    await expect(a).toHaveURL(new RegExp(`/${ada.orgSlug}/specs/[^/?#]+$`));
    await expect(phaseStep(a, "Requirements")).toHaveAttribute("data-status", "review", {
      timeout: 30_000,
    });

    // B finds it by clicking through: the ticket, then its spec.
    await ticketList(b)
      .getByRole("link", { name: new RegExp(first) })
      .click();
    await b.getByRole("region", { name: "Specs" }).getByRole("link").first().click();
    await expect(b).toHaveURL(a.url());
    await expect(phaseStep(b, "Requirements")).toHaveAttribute("data-status", "review");

    await a.getByRole("button", { name: /Approve requirements/ }).click();
    await expect(a.getByText("Approved the requirements")).toBeVisible();
    await expect(phaseStep(b, "Requirements")).toHaveAttribute("data-status", "approved", {
      timeout: LIVE_MS,
    });
    // The design is drafted by the worker, and B's page follows with no one touching it.
    await expect(phaseStep(b, "Design")).toHaveAttribute("data-status", "review", {
      timeout: 30_000,
    });
  });

  const missed = [unique("Missed ticket"), unique("Missed ticket")];
  await test.step("B goes offline; A files two tickets; B comes back and gets them once each", async () => {
    await b
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Tickets" })
      .click();
    await expect(ticketList(b).getByText(first, { exact: true })).toBeVisible();

    await memberContext.setOffline(true);
    await expect(liveStatus(b)).toHaveAccessibleName("Live updates: offline");
    for (const title of missed) {
      await createTicket(a, ada.orgSlug, { title, projectName: project.name });
    }
    // Nothing reached B while it was offline.
    await expect(ticketList(b).getByText(missed[0] ?? "", { exact: true })).toHaveCount(0);

    await memberContext.setOffline(false);
    await expect(liveStatus(b)).toHaveAccessibleName("Live updates: live");
    for (const title of [first, ...missed]) {
      await expect(ticketList(b).getByText(title, { exact: true })).toHaveCount(1);
    }
    await expect(ticketList(b).getByRole("listitem")).toHaveCount(3);
  });

  await test.step("B's list of live changes has every change once, the three tickets among them", async () => {
    await liveStatus(b).click();
    const items = b.getByRole("menu").locator("[data-seq]");
    await expect(items.filter({ hasText: "Ticket created" })).toHaveCount(3);
    const seqs = await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-seq")));
    expect(seqs.length).toBeGreaterThan(3); // the spec's events too
    expect(new Set(seqs).size).toBe(seqs.length);
    // Newest first, in commit order.
    const numbers = seqs.map((s) => Number(s));
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    await b.keyboard.press("Escape");
  });

  await Promise.all([ownerContext.close(), memberContext.close()]);
});
