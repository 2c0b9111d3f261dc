import { expect, test } from "@playwright/test";
import {
  createProject,
  createTicket,
  makeGitRepo,
  signIn,
  signOutViaMenu,
  signUp,
  ticketList,
  unique,
} from "./fixtures";

test("a new user signs up, files a ticket on a local repository, and finds it again after signing back in", async ({
  page,
}) => {
  const account = await signUp(page, { name: "Grace Hopper" });

  // Sign-up lands in the user's own, new organization.
  await expect(
    page.getByRole("button", {
      name: "Organization: Grace Hopper's workspace. Switch organization",
    }),
  ).toBeVisible();
  await expect(page.getByText("No projects yet")).toBeVisible();

  const repo = makeGitRepo();
  const project = await createProject(page, account.orgSlug, {
    name: unique("Compiler"),
    localPath: repo,
  });
  // The project page shows the repository it found and its checked-out branch.
  const main = page.getByRole("main");
  await expect(main.getByText(repo, { exact: true })).toBeVisible();
  await expect(main.getByText("main", { exact: true })).toBeVisible();

  const title = unique("Parse COBOL copybooks");
  const ticket = await createTicket(page, account.orgSlug, {
    title,
    description: "Split on level numbers.\n\n- Level 01 starts a **record**\n- Level 05 is a field",
  });
  await expect(page.getByText("Split on level numbers.")).toBeVisible();
  // The description's Markdown is rendered: a list, not raw "- " lines.
  const described = page.getByRole("region", { name: "Description" });
  await expect(described.getByRole("listitem")).toHaveText([
    "Level 01 starts a record",
    "Level 05 is a field",
  ]);
  await expect(described.locator("strong", { hasText: "record" })).toBeVisible();

  // In the organization's ticket list and on the project page.
  await page.goto(`/${account.orgSlug}/tickets`);
  const row = ticketList(page).getByRole("link", { name: new RegExp(title) });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("href", `/${account.orgSlug}/tickets/${ticket.id}`);
  await page.reload();
  await expect(row).toBeVisible();

  await page.goto(`/${account.orgSlug}/projects/${project.id}`);
  await expect(ticketList(page).getByRole("link", { name: new RegExp(title) })).toBeVisible();

  await signOutViaMenu(page, account.email);
  // Signed out, the organization's pages send you to sign in.
  await page.goto(`/${account.orgSlug}/tickets`);
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, account);
  await expect(page).toHaveURL(`/${account.orgSlug}/projects`);
  await expect(
    page.getByRole("main").getByRole("link", { name: new RegExp(project.name) }),
  ).toBeVisible();

  await page.goto(`/${account.orgSlug}/tickets`);
  await ticketList(page)
    .getByRole("link", { name: new RegExp(title) })
    .click();
  await expect(page).toHaveURL(`/${account.orgSlug}/tickets/${ticket.id}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Split on level numbers.")).toBeVisible();
});
