import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { seedTasks, withE2eDb } from "./db";
import { signUp, tabTo, waitForHydration } from "./fixtures";

/*
 * The Trace tab of a task that ran three times (two attempts, then one more after a retry, which
 * starts at attempt 1 again): the latest run shows by default, any earlier one is a link away
 * (keyboard too), the URL names the run so it can be shared, and each run downloads its own trace.
 */

/** A failed task with three runs, each with one tool call named after it; ids oldest first. */
async function seedThreeRuns(orgSlug: string): Promise<{ taskId: string; runIds: string[] }> {
  const { orgId, specId, ids } = await seedTasks(orgSlug, [
    { key: "1", title: "Flaky importer", status: "FAILED", attempts: 1 },
  ]);
  const taskId = ids.get("1")!;
  return withE2eDb(async (db) => {
    const runIds: string[] = [];
    const base = Date.now() - 3_600_000;
    const runs = [
      { attempt: 1, status: "FAILED", tool: "read_file" },
      { attempt: 2, status: "FAILED", tool: "search_files" },
      { attempt: 1, status: "FAILED", tool: "write_file" },
    ] as const;
    for (const [index, r] of runs.entries()) {
      const startedAt = new Date(base + index * 600_000);
      const run = await db.run.create({
        data: {
          orgId,
          taskId,
          specId,
          attempt: r.attempt,
          status: r.status,
          agentKind: "CLAUDE",
          startedAt,
          finishedAt: new Date(startedAt.getTime() + 60_000),
          createdAt: startedAt,
          errorMessage: `run ${index + 1} failed`,
        },
      });
      await db.runTraceEvent.create({
        data: {
          orgId,
          runId: run.id,
          seq: 0,
          kind: "tool_call",
          name: r.tool,
          data: { input: { path: `src/run-${index + 1}.ts` }, output: "ok" },
          startedAt: new Date(startedAt.getTime() + 1_000),
          durationMs: 40,
        },
      });
      runIds.push(run.id);
    }
    return { taskId, runIds };
  });
}

test("the Trace tab picks any run of the task, by link or keyboard, and each downloads its own trace", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  const { taskId, runIds } = await seedThreeRuns(orgSlug);
  const [first, second, latest] = runIds as [string, string, string];
  const taskUrl = `/${orgSlug}/tasks/${taskId}`;
  const runs = page.getByRole("navigation", { name: "Runs of this task" });
  const events = page.getByRole("list", { name: "Trace events" });
  const download = page.getByRole("link", { name: "Download trace" });

  await test.step("the latest run is selected by default", async () => {
    await page.goto(`${taskUrl}?tab=trace`);
    await waitForHydration(page);
    await expect(runs.getByRole("link")).toHaveText([
      /^Run 1 · failed$/,
      /^Run 2 · failed$/,
      /^Run 3 · failed · latest$/,
    ]);
    await expect(runs.locator('[aria-current="true"]')).toHaveText(/Run 3/);
    await expect(events).toContainText("write_file");
    await expect(events).not.toContainText("read_file");
    await expect(page.getByText("Run 3 of 3 · attempt 1")).toBeVisible();
    await expect(download).toHaveAttribute("href", `/api/orgs/${orgSlug}/runs/${latest}/trace`);
    await expectNoSeriousViolations(page, "task trace, run picker");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await waitForHydration(page);
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await expectNoSeriousViolations(page, "task trace, run picker (dark)");
    await page.emulateMedia({ colorScheme: "light" });
    await page.reload();
  });

  await test.step("an earlier run is reachable with the keyboard, and the URL names it", async () => {
    const run1 = runs.getByRole("link", { name: /^Run 1/ });
    await tabTo(page, run1, 60);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`[?&]run=${first}(&|$)`));
    await expect(runs.locator('[aria-current="true"]')).toHaveText(/Run 1/);
    await expect(events).toContainText("read_file");
    await expect(events).not.toContainText("write_file");
    await expect(page.getByText("Run 1 of 3 · attempt 1")).toBeVisible();
    await expect(download).toHaveAttribute("href", `/api/orgs/${orgSlug}/runs/${first}/trace`);
  });

  await test.step("each run downloads its own trace", async () => {
    for (const [runId, tool] of [
      [first, "read_file"],
      [second, "search_files"],
    ] as const) {
      await page.goto(`${taskUrl}?tab=trace&run=${runId}`);
      await expect(events).toContainText(tool);
      const href = await download.getAttribute("href");
      expect(href).toBe(`/api/orgs/${orgSlug}/runs/${runId}/trace`);
      const zip = await page.request.get(href!);
      expect(zip.status()).toBe(200);
      expect(zip.headers()["content-disposition"]).toContain(`trace-${runId}.zip`);
    }
  });

  await test.step("a run that is not one of this task's is not found", async () => {
    const response = await page.goto(`${taskUrl}?tab=trace&run=run_not_this_tasks`);
    expect(response?.status()).toBe(404);
  });
});
