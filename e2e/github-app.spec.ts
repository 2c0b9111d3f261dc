import { type Browser, expect, type Page, test } from "@playwright/test";
import { type FakeGithubApi, startFakeGithubApi } from "../lib/testing/fake-github-api";
import { fakeGithubApp } from "../playwright.config";
import { expectNoSeriousViolations } from "./axe";
import { orgIdOf, withE2eDb } from "./db";
import { signUp, tabTo, unique, waitForHydration } from "./fixtures";

/*
 * Connecting GitHub as an admin meets it: Settings -> "Connect GitHub" -> GitHub's install page
 * (a local server that speaks GitHub's REST API and plays the page; the app's real octokit is
 * pointed at it) -> back to the setup callback, which confirms the installation with the API ->
 * Settings lists the account and its repositories. And the state that binds the round trip to
 * the organization and the person: a tampered or borrowed one is refused, with the reason.
 */

let github: FakeGithubApi;
let nextInstallation = 7001;
test.beforeAll(async () => {
  github = await startFakeGithubApi({
    port: fakeGithubApp.port,
    appId: fakeGithubApp.appId,
    appSlug: fakeGithubApp.slug,
    privateKey: fakeGithubApp.privateKey,
  });
});
test.afterAll(async () => {
  await github?.close();
});

/** An installation of the app on a new GitHub account, made now, granting `repositories`. */
function installOnGithub(repositories: string[]): { id: number; login: string } {
  const login = unique("acme").toLowerCase();
  for (const name of repositories) github.addRepository(`${login}/${name}`);
  const id = nextInstallation++;
  github.addInstallation({
    id,
    account: { login },
    repositories: repositories.map((name) => `${login}/${name}`),
  });
  // GitHub's install page sends the browser to the app's setup URL (this app's callback).
  github.setInstallFlow({ setupUrl: "http://localhost:3107/api/github/setup", installationId: id });
  return { id, login };
}

function githubSection(page: Page) {
  return page.getByRole("region", { name: "GitHub" });
}

test("the Settings page shows a connected GitHub installation and its repositories", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  await page.goto(`/${orgSlug}/settings`);
  const section = githubSection(page);
  await expect(section.getByText("No GitHub account connected")).toBeVisible();

  const { id, login } = installOnGithub(["shop", "docs"]);
  await section.getByRole("link", { name: "Connect GitHub" }).click();

  // Through GitHub's install page (with the signed state) and the setup callback, back to Settings.
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings\\?github=connected#github$`));
  expect(github.requests).toContainEqual({
    method: "GET",
    path: `/apps/${fakeGithubApp.slug}/installations/new`,
  });
  await expect(section.getByRole("status")).toHaveText(
    "GitHub is connected. Link a project to one of its repositories in the project's settings.",
  );
  await expect(section.getByText(login, { exact: true })).toBeVisible();
  const repositories = section.getByRole("list", { name: `Repositories of ${login}` });
  await expect(repositories.getByRole("link")).toHaveText([`${login}/docs`, `${login}/shop`]);
  await expect(repositories.getByRole("link", { name: `${login}/shop` })).toHaveAttribute(
    "href",
    `${github.url}/${login}/shop`,
  );
  await expect(section.getByText("No GitHub account connected")).toHaveCount(0);
  await expect(section.getByRole("link", { name: "Connect another account" })).toBeVisible();

  // Still there on a fresh visit: the listing comes from GitHub through the stored installation.
  await page.goto(`/${orgSlug}/settings`);
  await expect(
    githubSection(page)
      .getByRole("list", { name: `Repositories of ${login}` })
      .getByRole("link"),
  ).toHaveCount(2);

  // Disconnected from the keyboard, after a confirmation: the app is uninstalled on GitHub and
  // the account and its repositories leave Settings.
  await waitForHydration(page);
  const disconnect = githubSection(page).getByRole("button", { name: `Disconnect ${login}` });
  await tabTo(page, disconnect, 120);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `Disconnect ${login}?` });
  await expect(dialog).toBeVisible();
  await expectNoSeriousViolations(page, "settings with the disconnect dialog open");
  const confirm = dialog.getByRole("button", { name: "Disconnect", exact: true });
  await tabTo(page, confirm, 5);
  await page.keyboard.press("Enter");
  await expect(page.getByText(`${login} disconnected from GitHub`)).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(githubSection(page).getByText("No GitHub account connected")).toBeVisible();
  await expect(
    githubSection(page).getByRole("list", { name: `Repositories of ${login}` }),
  ).toHaveCount(0);
  expect(github.requests).toContainEqual({ method: "DELETE", path: `/app/installations/${id}` });
  expect(github.hasInstallation(id)).toBe(false);

  // Still gone after a reload.
  await page.reload();
  await expect(githubSection(page).getByText("No GitHub account connected")).toBeVisible();
  await expect(githubSection(page).getByText(login, { exact: true })).toHaveCount(0);
});

/** The state "Connect GitHub" would send to GitHub for the signed-in user of `page`. */
async function installState(page: Page, orgSlug: string): Promise<string> {
  const response = await page.request.get(`/api/github/install?org=${orgSlug}`, {
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  const location = new URL(response.headers().location ?? "");
  expect(location.pathname).toBe(`/apps/${fakeGithubApp.slug}/installations/new`);
  return location.searchParams.get("state") ?? "";
}

async function newSignedInPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const account = await signUp(page, { name: "Mallory" });
  return { context, page, account };
}

test("a tampered or someone else's installation link is refused with the reason and connects nothing", async ({
  page,
  browser,
}) => {
  const ada = await signUp(page);
  const adasState = await installState(page, ada.orgSlug);
  const mallory = await newSignedInPage(browser);
  const { id } = installOnGithub(["payroll"]);
  const callback = (state: string) =>
    `/api/github/setup?installation_id=${id}&setup_action=install&state=${encodeURIComponent(state)}`;

  // Ada's link in Mallory's browser (a shared or leaked URL): it was made for Ada.
  const borrowed = await mallory.page.goto(callback(adasState));
  expect(borrowed?.status()).toBe(403);
  await expect(
    mallory.page.getByRole("heading", { level: 1, name: "GitHub was not connected" }),
  ).toBeVisible();
  await expect(mallory.page.getByRole("alert")).toHaveText(
    "This GitHub installation link was made for someone else. Start again from Settings.",
  );

  // Mallory's own state, rewritten to name Ada's organization: the signature no longer matches.
  const adasOrgId = await withE2eDb((db) => orgIdOf(db, ada.orgSlug));
  const [payload, signature] = (await installState(mallory.page, mallory.account.orgSlug)).split(
    ".",
  );
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
  const rewritten = Buffer.from(JSON.stringify({ ...claims, o: adasOrgId })).toString("base64url");
  const tampered = await mallory.page.goto(callback(`${rewritten}.${signature}`));
  expect(tampered?.status()).toBe(403);
  await expect(mallory.page.getByRole("alert")).toHaveText(
    "This GitHub installation link cannot be used: its signature does not match.",
  );

  // The way back leads into Mallory's own workspace, where nothing was connected.
  await mallory.page.getByRole("link", { name: "Back to Trellis" }).click();
  await expect(mallory.page).toHaveURL(new RegExp(`/${mallory.account.orgSlug}/projects$`));
  await mallory.page.goto(`/${mallory.account.orgSlug}/settings`);
  await expect(githubSection(mallory.page).getByText("No GitHub account connected")).toBeVisible();
  await mallory.context.close();

  // Nor in Ada's organization.
  await page.goto(`/${ada.orgSlug}/settings`);
  await expect(githubSection(page).getByText("No GitHub account connected")).toBeVisible();
});
