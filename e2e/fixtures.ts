import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";

export interface Account {
  name: string;
  email: string;
  password: string;
  /** The personal organization sign-up lands in. */
  orgSlug: string;
}

/** A value no other test (or earlier run) has used: timestamp + random. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export function uniqueEmail(prefix = "user"): string {
  return `${unique(prefix)}@example.com`;
}

/** A folder of this run's scratch space (global-setup), or of the OS temp dir. */
export function scratchDir(prefix: string): string {
  const root = process.env.E2E_SCRATCH_DIR ?? tmpdir();
  mkdirSync(root, { recursive: true });
  return mkdtempSync(path.join(root, `${prefix}-`));
}

/** A real git work tree on branch main with one commit; works with no global git identity. */
export function makeGitRepo(): string {
  const dir = scratchDir("repo");
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(dir, "README.md"), "# e2e fixture\n");
  git("add", "README.md");
  git(
    "-c",
    "user.name=Trellis E2E",
    "-c",
    "user.email=e2e@example.com",
    "-c",
    "commit.gpgsign=false",
    "commit",
    "-q",
    "-m",
    "Initial commit",
  );
  return dir;
}

/** The org slug of a URL like /<org>/projects. */
export function orgSlugOf(page: Page): string {
  const slug = new URL(page.url()).pathname.split("/")[1];
  if (!slug) throw new Error(`no organization in ${page.url()}`);
  return slug;
}

/** Signs up through the real form and waits for the new organization's projects page. */
export async function signUp(
  page: Page,
  options: { name?: string; email?: string; password?: string } = {},
): Promise<Account> {
  const name = options.name ?? "Ada Lovelace";
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? `pw-${randomBytes(6).toString("hex")}`;
  await page.goto("/sign-up");
  await field(page, "Name").fill(name);
  await field(page, "Email").fill(email);
  await field(page, "Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/[^/]+\/projects$/);
  return { name, email, password, orgSlug: orgSlugOf(page) };
}

/** Signs in through the real form and waits for the organization's projects page. */
export async function signIn(
  page: Page,
  account: { email: string; password: string },
): Promise<void> {
  await page.goto("/sign-in");
  await field(page, "Email").fill(account.email);
  await field(page, "Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/[^/]+\/projects$/);
}

/** Tries to sign in and expects the form to refuse; the page stays on /sign-in. */
export async function expectSignInRefused(
  page: Page,
  account: { email: string; password: string },
): Promise<void> {
  await page.goto("/sign-in");
  await field(page, "Email").fill(account.email);
  await field(page, "Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Email or password is incorrect." }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
}

export interface Created {
  id: string;
  name: string;
}

/** Fills the new-project form (on its page) and submits it; no waiting for the outcome. */
export async function submitProjectForm(
  page: Page,
  orgSlug: string,
  fields: { name: string; localPath: string; description?: string },
) {
  await page.goto(`/${orgSlug}/projects/new`);
  await field(page, "Name").fill(fields.name);
  await field(page, "Local git repository").fill(fields.localPath);
  if (fields.description) await field(page, "Description").fill(fields.description);
  await page.getByRole("button", { name: "Create project" }).click();
}

/** Creates a project on `localPath` (a fresh git repo by default) and returns its id. */
export async function createProject(
  page: Page,
  orgSlug: string,
  fields: { name?: string; localPath?: string } = {},
): Promise<Created> {
  const name = fields.name ?? unique("Project");
  await submitProjectForm(page, orgSlug, { name, localPath: fields.localPath ?? makeGitRepo() });
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/projects/prj_[^/?#]+$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return { id: lastSegment(page), name };
}

/** Files a ticket through /<org>/tickets/new and returns its id (the title is `name`). */
export async function createTicket(
  page: Page,
  orgSlug: string,
  fields: { title?: string; projectName?: string; description?: string } = {},
): Promise<Created> {
  const title = fields.title ?? unique("Ticket");
  await page.goto(`/${orgSlug}/tickets/new`);
  if (fields.projectName) await field(page, "Project").selectOption({ label: fields.projectName });
  await field(page, "Title").fill(title);
  if (fields.description) await field(page, "Description").fill(fields.description);
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/tickets/tkt_[^/?#]+$`));
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return { id: lastSegment(page), name: title };
}

function lastSegment(page: Page): string {
  const id = new URL(page.url()).pathname.split("/").at(-1);
  if (!id) throw new Error(`no id in ${page.url()}`);
  return id;
}

/** Signs out through the account menu at the bottom of the sidebar. */
export async function signOutViaMenu(page: Page, email: string): Promise<void> {
  await page.getByRole("button", { name: `Account: ${email}` }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** The ticket list (on /tickets or a project page). */
export function ticketList(page: Page): Locator {
  return page.getByRole("list", { name: "Tickets" });
}

/** Presses Tab until `target` has focus (at most `max` times) — the keyboard path to a control. */
export async function tabTo(page: Page, target: Locator, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, `not reachable with ${max} Tab presses`).toBeFocused();
}

/** Waits until client components have hydrated (the theme button gets its real label then). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.getByRole("button", { name: /^Switch to (dark|light) theme$/ })).toBeVisible();
}

/**
 * A form control by its label's visible text; a "(required)" marker after the
 * text (hidden from screen readers) is allowed.
 */
export function field(scope: Page | Locator, label: string): Locator {
  const text = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return scope.getByLabel(new RegExp(`^${text}\\s*(\\(required\\))?$`));
}
