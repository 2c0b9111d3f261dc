import { expect, test } from "@playwright/test";
import { signUp, tabTo, waitForHydration } from "./fixtures";

test("an owner routes coding to another model in Settings with the keyboard, and it stays", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page, { name: "Ada Models" });
  await page.goto(`/${orgSlug}/settings`);
  await waitForHydration(page);

  const coding = page.getByLabel("Coding model", { exact: true });
  const codingFallback = page.getByLabel("Coding fallback", { exact: true });
  await expect(coding).toHaveAttribute("placeholder", "Default: claude-opus-5-5");

  // An invalid id is refused next to its field, with the schema's message.
  await tabTo(page, coding, 80);
  await page.keyboard.type("not a model");
  await page.keyboard.press("Enter");
  await expect(page.locator("#model-coder-error")).toHaveText(
    "Use a model id such as claude-sonnet-5-5",
  );
  await expect(coding).toHaveAttribute("aria-invalid", "true");

  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("claude-sonnet-5-5");
  await page.keyboard.press("Tab");
  await expect(codingFallback).toBeFocused();
  await page.keyboard.type("claude-haiku-4-5");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Models saved")).toBeVisible();

  await page.reload();
  await expect(coding).toHaveValue("claude-sonnet-5-5");
  await expect(codingFallback).toHaveValue("claude-haiku-4-5");
  // Small coding tasks follow Coding until they get their own model.
  await expect(page.getByLabel("Coding, small tasks model", { exact: true })).toHaveAttribute(
    "placeholder",
    "As Coding: claude-sonnet-5-5",
  );
});
