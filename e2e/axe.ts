import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe on the page as it is and fails on serious or critical violations, listing them. */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  // Toasts fade in and out; mid-fade, axe reads their text as low contrast. They are
  // transient, and their resting colours are the theme's popover colours checked elsewhere.
  const { violations } = await new AxeBuilder({ page })
    .withTags(tags)
    .exclude("[data-sonner-toaster]")
    .analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map(
      (v) =>
        `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.replace(/\s+/g, " ")}`).join("\n")}`,
    )
    .join("\n");
  expect(
    serious,
    `${label}: ${serious.length} serious/critical axe violations\n${report}`,
  ).toHaveLength(0);
}
