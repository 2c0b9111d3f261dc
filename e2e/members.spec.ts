import { expect, test } from "@playwright/test";
import { field, signUp, uniqueEmail } from "./fixtures";

test("an invite link brings a new person in as a viewer, who can read but not change, and switch organizations", async ({
  browser,
}) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const ada = await signUp(owner, { name: "Ada Owner" });

  await owner.goto(`/${ada.orgSlug}/settings`);
  await field(owner, "Role for the new member").selectOption("VIEWER");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await field(owner, "New invite link").inputValue();
  expect(link).toMatch(/\/invite\/[\w-]+$/);

  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { name: /^Join Ada Owner's workspace/ })).toBeVisible();
  await guest.getByRole("link", { name: "Create an account" }).click();
  await field(guest, "Name").fill("Vic Viewer");
  await field(guest, "Email").fill(uniqueEmail("vic"));
  await field(guest, "Password").fill("viewer-password");
  await guest.getByRole("button", { name: "Create account" }).click();
  await expect(guest).toHaveURL(/\/invite\//);
  await guest.getByRole("button", { name: /Join Ada Owner's workspace as viewer/i }).click();
  await expect(guest).toHaveURL(new RegExp(`/${ada.orgSlug}/projects$`));

  // A viewer reads but has no way to change anything.
  await expect(guest.getByRole("link", { name: "New project" })).toHaveCount(0);
  await guest.goto(`/${ada.orgSlug}/projects/new`);
  await expect(
    guest.getByText("Viewers can read project settings but not change them."),
  ).toBeVisible();
  await expect(guest.getByRole("button", { name: "Create project" })).toHaveCount(0);

  // The link worked once.
  const thirdContext = await browser.newContext();
  const third = await thirdContext.newPage();
  await third.goto(new URL(link).pathname);
  await expect(third.getByText(/not valid any more/i)).toBeVisible();

  // The switcher lists both organizations and switches between them.
  await guest.goto(`/${ada.orgSlug}/projects`);
  await guest.getByRole("button", { name: /Organization: Ada Owner's workspace/ }).click();
  await guest.getByRole("menuitem", { name: /Vic Viewer's workspace/ }).click();
  await expect(guest).toHaveURL(/\/vic-viewer-s-workspace(-\d+)?\/projects$/);
  await expect(
    guest.getByRole("button", { name: /Organization: Vic Viewer's workspace/ }),
  ).toBeVisible();

  // The owner sees the new member with their role.
  await owner.reload();
  await expect(owner.getByRole("row", { name: /Vic Viewer/ })).toContainText(/viewer/i);

  await Promise.all([ownerContext.close(), guestContext.close(), thirdContext.close()]);
});
