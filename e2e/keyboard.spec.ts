import { expect, test } from "@playwright/test";
import { field, makeGitRepo, tabTo, unique, uniqueEmail, waitForHydration } from "./fixtures";

test("sign-up and sign-in submit with Enter; sign-out from the command palette", async ({
  page,
}) => {
  const email = uniqueEmail("keys");
  const password = "typed with keys";

  await page.goto("/sign-up");
  await field(page, "Name").focus();
  await page.keyboard.type("Key Board");
  await page.keyboard.press("Tab");
  await expect(field(page, "Email")).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(field(page, "Password")).toBeFocused();
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/[^/]+\/projects$/);
  await waitForHydration(page);

  await page.keyboard.press("Control+k");
  const palette = page.getByRole("dialog", { name: "Command palette" });
  await expect(palette).toBeVisible();
  await page.keyboard.type("sign out");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/sign-in$/);

  await field(page, "Email").focus();
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await expect(field(page, "Password")).toBeFocused();
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/[^/]+\/projects$/);
});

test("palette, C and G-shortcuts navigate; a project and a ticket are created with the keyboard alone", async ({
  page,
}) => {
  // The account is made with the mouse-free form too; the point here is what comes after.
  await page.goto("/sign-up");
  await field(page, "Name").fill("Keys Only");
  await field(page, "Email").fill(uniqueEmail("shortcuts"));
  await field(page, "Password").fill("keyboard only");
  await field(page, "Password").press("Enter");
  await expect(page).toHaveURL(/\/[^/]+\/projects$/);
  const orgSlug = new URL(page.url()).pathname.split("/")[1];
  await waitForHydration(page);

  await test.step("Ctrl+K, type, Enter goes to a page", async () => {
    await page.keyboard.press("Control+k");
    const palette = page.getByRole("dialog", { name: "Command palette" });
    await expect(palette).toBeVisible();
    await expect(palette.getByRole("combobox", { name: "Search commands" })).toBeFocused();
    await page.keyboard.type("tickets");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/${orgSlug}/tickets`);
    await expect(palette).toBeHidden();
    await expect(page.getByText("No tickets yet")).toBeVisible();
  });

  await test.step("C opens a new ticket", async () => {
    await page.keyboard.press("c");
    await expect(page).toHaveURL(`/${orgSlug}/tickets/new`);
    await expect(page.getByRole("heading", { level: 1, name: "New ticket" })).toBeVisible();
  });

  await test.step("G then P goes to projects", async () => {
    await page.keyboard.press("g");
    await page.keyboard.press("p");
    await expect(page).toHaveURL(`/${orgSlug}/projects`);
    await expect(page.getByText("No projects yet")).toBeVisible();
  });

  const repo = makeGitRepo();
  const projectName = unique("Keyboard project");
  await test.step("create a project: palette, type, Tab, Enter", async () => {
    await page.keyboard.press("Control+k");
    await expect(page.getByRole("dialog", { name: "Command palette" })).toBeVisible();
    await page.keyboard.type("new project");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/${orgSlug}/projects/new`);
    // The name field has focus on arrival.
    await expect(field(page, "Name")).toBeFocused();
    await page.keyboard.type(projectName);
    // Past the repository kind (local or GitHub) to the path, by keyboard.
    await tabTo(page, field(page, "Local git repository"));
    await expect(field(page, "Local git repository")).toBeFocused();
    await page.keyboard.type(repo);
    await tabTo(page, page.getByRole("button", { name: "Create project" }));
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/projects/prj_[^/?#]+$`));
    await expect(page.getByRole("heading", { level: 1, name: projectName })).toBeVisible();
  });

  const title = unique("Filed from the keyboard");
  await test.step("create a ticket: C, type, Tab, Enter", async () => {
    await page.keyboard.press("c");
    await expect(page).toHaveURL(`/${orgSlug}/tickets/new`);
    // The only project is preselected and the title has focus.
    await expect(field(page, "Project")).toHaveValue(/^prj_/);
    await expect(field(page, "Title")).toBeFocused();
    await page.keyboard.type(title);
    await page.keyboard.press("Tab");
    await expect(field(page, "Description")).toBeFocused();
    await page.keyboard.type("No mouse was used.");
    await page.keyboard.press("Tab");
    await expect(field(page, "Priority")).toBeFocused();
    await page.keyboard.press("ArrowDown"); // Medium -> High
    await expect(field(page, "Priority")).toHaveValue("HIGH");
    await tabTo(page, field(page, "Labels"));
    await page.keyboard.type("keyboard");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Create ticket" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/${orgSlug}/tickets/tkt_[^/?#]+$`));
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText("No mouse was used.")).toBeVisible();
  });

  await test.step("G then T lists it; / focuses the search", async () => {
    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await expect(page).toHaveURL(`/${orgSlug}/tickets`);
    await expect(
      page.getByRole("list", { name: "Tickets" }).getByRole("link", { name: new RegExp(title) }),
    ).toBeVisible();
    await page.keyboard.press("/");
    await expect(page.getByLabel("Search tickets by title")).toBeFocused();
  });
});
