import { expect, type Page, test } from "@playwright/test";
import { createProject, createTicket, signUp, ticketList } from "./fixtures";

async function expectNotFound(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), `status of ${url}`).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
}

test("another organization's projects and tickets are 404 for a user outside it", async ({
  browser,
  page,
}) => {
  const first = await signUp(page, { name: "Ada" });
  const project = await createProject(page, first.orgSlug);
  const ticket = await createTicket(page, first.orgSlug);

  const otherContext = await browser.newContext();
  try {
    const other = await otherContext.newPage();
    const second = await signUp(other, { name: "Mallory" });
    expect(second.orgSlug).not.toBe(first.orgSlug);

    // Nothing of the first organization shows up in the second one.
    await expect(other.getByText("No projects yet")).toBeVisible();
    await expect(other.getByText(project.name)).toHaveCount(0);
    await other.goto(`/${second.orgSlug}/tickets`);
    await expect(other.getByText("No tickets yet")).toBeVisible();
    await expect(other.getByText(ticket.name)).toHaveCount(0);

    // Direct URLs: under the first organization, and with the first organization's ids under the second.
    await expectNotFound(other, `/${first.orgSlug}/projects`);
    await expectNotFound(other, `/${first.orgSlug}/projects/${project.id}`);
    await expectNotFound(other, `/${first.orgSlug}/tickets/${ticket.id}`);
    await expectNotFound(other, `/${second.orgSlug}/projects/${project.id}`);
    await expectNotFound(other, `/${second.orgSlug}/tickets/${ticket.id}`);
    await expect(other.getByText(project.name)).toHaveCount(0);
    await expect(other.getByText(ticket.name)).toHaveCount(0);
  } finally {
    await otherContext.close();
  }

  // The owner still sees both.
  await page.goto(`/${first.orgSlug}/projects/${project.id}`);
  await expect(ticketList(page).getByRole("link", { name: new RegExp(ticket.name) })).toBeVisible();
});
