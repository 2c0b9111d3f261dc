import { expect, test } from "@playwright/test";
import { fakeGitHub } from "../playwright.config";
import { type FakeGitHub, startFakeGitHub } from "./fake-github";

let github: FakeGitHub;

test.beforeAll(async () => {
  github = await startFakeGitHub(fakeGitHub);
});
test.afterAll(async () => {
  await github?.close();
});

test("signs in with GitHub, creating a personal organization on the first sign-in only", async ({
  page,
}) => {
  const login = `octo-${Date.now()}`;
  github.user = { id: Date.now(), login, name: "Octo Cat", email: `${login}@example.com` };

  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await expect(page).toHaveURL(/\/octo-cat-s-workspace(-\d+)?\/projects$/);
  await expect(
    page.getByRole("button", { name: /Organization: Octo Cat's workspace/ }),
  ).toBeVisible();
  const firstOrgUrl = page.url();

  // Sign out, then in again with the same GitHub account: same user, same organization.
  await page.getByRole("button", { name: `Account: ${login}@example.com` }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await expect(page).toHaveURL(firstOrgUrl);
  await page.getByRole("button", { name: /Organization: / }).click();
  await expect(page.getByRole("menuitem")).toHaveCount(2); // the one workspace + "New organization"
});
