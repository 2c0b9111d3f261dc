import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createTicket, field, makeGitRepo, scratchDir, signUp, unique } from "./fixtures";

/*
 * A self-hosted runner as a team would use it: registered in Settings, started with the
 * command the page shows (`trellis-runner --url … --token …`), a project pinned to its label.
 * The task runs on the runner; its log streams into the task page; its branches land in the
 * repository the runner pushes to (here a bare repository standing in for the remote).
 */

let runner: ChildProcess | undefined;
test.afterEach(() => {
  runner?.kill("SIGTERM");
  runner = undefined;
});

test("a task runs on a self-hosted runner: its log streams into the task page and its branch is pushed", async ({
  page,
  baseURL,
}) => {
  test.slow();
  const { orgSlug } = await signUp(page);

  await page.goto(`/${orgSlug}/settings`);
  const runners = page.getByRole("region", { name: "Self-hosted runners" });
  await field(runners, "Runner name").fill("build-box");
  await field(runners, "Labels").fill("linux");
  await runners.getByRole("button", { name: "Register runner" }).click();
  const command = await runners.locator("code").textContent();
  const token = command?.match(/--token (trr_\S+)/)?.[1];
  expect(token, command ?? "no command shown").toBeTruthy();
  await expect(runners.getByRole("cell", { name: "build-box", exact: true })).toBeVisible();

  const remote = path.join(scratchDir("remote"), "repo.git");
  execFileSync("git", ["clone", "--quiet", "--bare", makeGitRepo(), remote]);
  const name = unique("Remote");
  await page.goto(`/${orgSlug}/projects/new`);
  await field(page, "Name").fill(name);
  await field(page, "Local git repository").fill(remote);
  await field(page, "Runner labels").fill("linux");
  for (const gate of ["Requirements", "Design", "Tasks"]) {
    await field(page, gate).selectOption({ label: "Auto-approve" });
  }
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // The offline agent takes its time on every task of this spec, so the log is seen live.
  await createTicket(page, orgSlug, {
    projectName: name,
    title: unique("On the runner [offline:sleep 4000]"),
    description: "Users can export the board as CSV.",
  });
  const specs = page.getByRole("region", { name: "Specs" });
  await specs.getByRole("button", { name: "Start spec" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/specs/[^/?#]+$`));
  const specId = new URL(page.url()).pathname.split("/").at(-1);

  runner = spawn(
    process.execPath,
    [
      "bin/trellis-runner.mjs",
      "--url",
      baseURL!,
      "--token",
      token!,
      "--workdir",
      scratchDir("runner"),
    ],
    { stdio: "inherit" },
  );

  await page.goto(`/${orgSlug}/specs/${specId}?tab=execution`);
  const execution = page.getByRole("main").getByRole("region", { name: "Execution" });
  const first = execution.locator('[data-task-key="1"]');
  await expect(first).toHaveAttribute("data-status", /RUNNING|VERIFYING/, { timeout: 60_000 });
  // The task's own page (a click would open it in the drawer over the spec).
  await page.goto((await first.getByRole("link").getAttribute("href"))!);
  // Still running, and the runner's log is already here.
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("Self-hosted runner", {
    timeout: 15_000,
  });
  await expect(
    page.getByRole("main").locator("header").getByText("Done", { exact: true }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("Pushed trellis/");
  // The run names the agent the runner used (no Anthropic key on this machine: offline), where
  // the built-in runner's runs name theirs.
  await page
    .getByRole("navigation", { name: "Task views" })
    .getByRole("link", { name: "Cost" })
    .click();
  await expect(
    page.getByRole("main").getByRole("row").filter({ hasText: "#1" }).getByRole("cell", {
      name: "offline",
      exact: true,
    }),
  ).toBeVisible();

  const branches = execFileSync("git", ["-C", remote, "branch", "--list", "trellis/*"], {
    encoding: "utf8",
  });
  expect(branches).toMatch(/--task-1/);
});
