import { expect, type Page, test } from "@playwright/test";
import {
  createProject,
  expectSignInRefused,
  field,
  scratchDir,
  signIn,
  signUp,
  submitProjectForm,
  unique,
  uniqueEmail,
} from "./fixtures";

async function submitSignUp(
  page: Page,
  fields: { name: string; email: string; password: string },
): Promise<void> {
  await page.goto("/sign-up");
  await field(page, "Name").fill(fields.name);
  await field(page, "Email").fill(fields.email);
  await field(page, "Password").fill(fields.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

test.describe("sign-up refuses bad input, next to the field, and makes no account", () => {
  test("malformed email", async ({ page }) => {
    const attempt = {
      name: "Typo",
      email: `${uniqueEmail("typo").replace("@", "")}`,
      password: "long enough pw",
    };
    await submitSignUp(page, attempt);
    await expect(page.locator("#email-error")).toHaveText(
      "Enter a valid email address, like ada@example.com",
    );
    await expect(field(page, "Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#password-error")).toHaveCount(0);
    await expect(page).toHaveURL(/\/sign-up$/);
    // What was typed is kept, so it can be corrected.
    await expect(field(page, "Email")).toHaveValue(attempt.email);
    await expectSignInRefused(page, attempt);
  });

  test("short password", async ({ page }) => {
    const attempt = { name: "Shorty", email: uniqueEmail("short"), password: "1234567" };
    await submitSignUp(page, attempt);
    await expect(page.locator("#password-error")).toHaveText(
      "Password must be at least 8 characters",
    );
    await expect(field(page, "Password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#email-error")).toHaveCount(0);
    await expect(page).toHaveURL(/\/sign-up$/);
    await expectSignInRefused(page, attempt);
    // The email is still free: no half-made account holds it.
    await signUp(page, { email: attempt.email, password: "a proper password" });
  });

  test("duplicate email", async ({ page, browser }) => {
    const original = await signUp(page, { name: "Original" });
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      const attempt = { name: "Impostor", email: original.email, password: "another password" };
      await submitSignUp(other, attempt);
      await expect(other.locator("#email-error")).toHaveText(
        "An account with this email already exists. Sign in instead.",
      );
      await expect(other).toHaveURL(/\/sign-up$/);
      // The existing account was not taken over: the new password does not work, the old one does.
      await expectSignInRefused(other, attempt);
      await signIn(other, original);
      await expect(other).toHaveURL(`/${original.orgSlug}/projects`);
      await expect(
        other.getByRole("button", {
          name: "Organization: Original's workspace. Switch organization",
        }),
      ).toBeVisible();
    } finally {
      await context.close();
    }
  });
});

test("a project needs an existing git repository; nothing is created otherwise", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);

  const missing = `${scratchDir("gone")}/does-not-exist`;
  await submitProjectForm(page, orgSlug, { name: "Ghost", localPath: missing });
  await expect(page.locator("#localPath-error")).toHaveText(`No folder exists at ${missing}`);
  await expect(field(page, "Local git repository")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(`/${orgSlug}/projects/new`);

  const plainFolder = scratchDir("plain");
  await submitProjectForm(page, orgSlug, { name: "Plain", localPath: plainFolder });
  await expect(page.locator("#localPath-error")).toHaveText(
    `${plainFolder} is not a git repository (run git init there first)`,
  );
  await expect(page).toHaveURL(`/${orgSlug}/projects/new`);

  await page.goto(`/${orgSlug}/projects`);
  await expect(page.getByText("No projects yet")).toBeVisible();
  await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(0);
});

test("a ticket needs a title and a description of at most 20,000 characters; nothing is created otherwise", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  const project = await createProject(page, orgSlug);

  await page.goto(`/${orgSlug}/tickets/new`);
  // The only project is chosen already.
  await expect(field(page, "Project")).toHaveValue(project.id);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.locator("#title-error")).toHaveText("Title is required");
  await expect(field(page, "Title")).toHaveAttribute("aria-invalid", "true");

  await field(page, "Title").fill(unique("Too long"));
  await field(page, "Description").fill("x".repeat(20_001));
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.locator("#description-error")).toHaveText(
    "Description must be at most 20,000 characters",
  );
  await expect(page.locator("#title-error")).toHaveCount(0);
  await expect(page).toHaveURL(`/${orgSlug}/tickets/new`);

  await page.goto(`/${orgSlug}/tickets`);
  await expect(page.getByText("No tickets yet")).toBeVisible();
  await page.goto(`/${orgSlug}/projects/${project.id}`);
  await expect(page.getByText("No tickets yet")).toBeVisible();
});
