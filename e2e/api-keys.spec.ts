import { expect, test } from "@playwright/test";
import { createProject, field, signUp, waitForHydration } from "./fixtures";

test("an admin creates an API key in Settings, uses it on the REST API, adds an intake rule, and revokes the key", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page, { name: "Ada Admin" });
  const project = await createProject(page, orgSlug);

  await page.goto(`/${orgSlug}/settings`);
  await waitForHydration(page);
  const keys = page.getByRole("form", { name: "Create an API key" });
  await keys.getByLabel("Name").fill("CI");
  await field(page, "Scope").selectOption("WRITE");
  await page.getByRole("button", { name: "Create API key" }).click();
  const shown = field(page, "New API key “CI”");
  await expect(shown).toHaveValue(/^trl_[0-9A-Za-z]{32}_[0-9A-Za-z]{6}$/);
  const key = await shown.inputValue();
  await expect(page.getByRole("button", { name: "Copy API key" })).toBeVisible();
  const row = page.getByRole("row", { name: /CI/ });
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).toContainText("Write");
  // Columns: name, key, scope, last used, expires.
  const lastUsed = () => page.getByRole("row", { name: /CI/ }).getByRole("cell").nth(3);
  await expect(lastUsed()).toHaveText("Never");
  // The key itself is not in the page once it is reloaded: only its prefix.
  await page.reload();
  await expect(page.getByText(key)).toHaveCount(0);

  // The key works on the REST API.
  const auth = { authorization: `Bearer ${key}` };
  const projects = await page.request.get("/api/v1/projects", { headers: auth });
  expect(projects.status()).toBe(200);
  expect(((await projects.json()) as { data: { id: string }[] }).data.map((p) => p.id)).toEqual([
    project.id,
  ]);
  const enqueued = await page.request.post("/api/v1/tasks/enqueue", {
    headers: auth,
    data: {
      type: "docs",
      payload: { title: "Document the API" },
      target: { repository: project.id },
    },
  });
  expect(enqueued.status()).toBe(201);
  await page.reload();
  await expect(lastUsed()).not.toHaveText("Never");

  // An intake rule added in Settings refuses matching work, naming the rule.
  const rules = page.getByRole("form", { name: "Add an intake rule" });
  await rules.getByLabel("Rule name").fill("No docs by API");
  await field(page, "Effect").selectOption("DENY");
  await field(page, "Looks at").selectOption("TYPE");
  await field(page, "Pattern").fill("docs");
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("row", { name: /No docs by API/ })).toBeVisible();
  const refused = await page.request.post("/api/v1/tasks/enqueue", {
    headers: auth,
    data: { type: "docs", payload: { title: "More docs" }, target: { repository: project.id } },
  });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
    "No docs by API",
  );

  // Revoking the key (after confirming) locks it out.
  await page.getByRole("button", { name: "Revoke API key CI" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row", { name: /CI/ })).toContainText("Revoked");
  const after = await page.request.get("/api/v1/projects", { headers: auth });
  expect(after.status()).toBe(401);

  // The API reference is linked from Settings and rendered from the OpenAPI document.
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  await expect(
    page.getByRole("heading", { name: /POST\s*\/api\/v1\/tasks\/enqueue/ }),
  ).toBeVisible();
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
});
