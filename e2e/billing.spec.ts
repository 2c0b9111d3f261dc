import { expect, type Page, test } from "@playwright/test";
import { type FakeStripe, startFakeStripe } from "../lib/testing/fake-stripe";
import { fakeStripe } from "../playwright.config";
import { createProject, createTicket, signUp, waitForHydration } from "./fixtures";

/*
 * Billing as a customer meets it: the billing page, Checkout on a local server that speaks
 * Stripe's API (the app's real `stripe` SDK is pointed at it), the signed webhook Stripe sends
 * after payment, and an overdue payment that stops new work.
 */

let stripe: FakeStripe;
test.beforeAll(async () => {
  stripe = await startFakeStripe({
    port: fakeStripe.port,
    secretKey: fakeStripe.secretKey,
    webhookSecret: fakeStripe.webhookSecret,
    prices: { [fakeStripe.pricePro]: 4900, [fakeStripe.priceTeam]: 19900 },
    // Stripe delivers events to the endpoint configured in its Dashboard: this app's.
    webhookUrl: "http://localhost:3107/api/webhooks/stripe",
  });
});
test.afterAll(async () => {
  await stripe?.close();
});

function usageLine(page: Page, label: string) {
  return page
    .getByRole("region", { name: "Usage this month" })
    .getByRole("listitem")
    .filter({ hasText: label });
}

/** Upgrades the organization to Pro through Checkout; returns its subscription id at Stripe. */
async function upgradeToPro(page: Page, orgSlug: string): Promise<string> {
  await page.goto(`/${orgSlug}/settings/billing`);
  await waitForHydration(page);
  await page.getByRole("button", { name: "Upgrade to Pro" }).click();
  // The Checkout URL the (local) Stripe server returned for the session.
  await expect(page).toHaveURL(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
  const sessionId = new URL(page.url()).pathname.split("/").at(-1)!;
  const session = stripe.checkoutSessions.get(sessionId)!;
  expect(session).toMatchObject({ mode: "subscription", status: "open" });
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings/billing\\?checkout=success$`));
  return String(session.subscription);
}

test("the billing page shows plan and usage; Upgrade goes through Checkout and the page shows Pro after the webhook", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  await createProject(page, orgSlug);
  await page.goto(`/${orgSlug}/settings/billing`);
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
  await expect(page.getByTestId("current-plan")).toHaveText("Free");
  await expect(usageLine(page, "Runs")).toContainText("0 of 20");
  await expect(usageLine(page, "Projects")).toContainText("1 of 1");
  await expect(usageLine(page, "Agents running now")).toContainText("0 of 1");
  await expect(page.getByRole("button", { name: "Manage billing" })).toHaveCount(0);

  await upgradeToPro(page, orgSlug);
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  await expect(usageLine(page, "Projects")).toContainText("1 of 10");
  await expect(page.getByRole("button", { name: "Upgrade to Pro" })).toHaveCount(0);

  // "Manage billing" opens the customer portal session Stripe returned.
  await waitForHydration(page);
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page).toHaveURL(new RegExp(`^${stripe.url}/p/session/bps_`));
  await page.getByRole("link", { name: "Return" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings/billing$`));
});

test("a failed payment puts a banner on every page and refuses to start a spec, with the reason", async ({
  page,
}) => {
  const { orgSlug } = await signUp(page);
  await createProject(page, orgSlug);
  const ticket = await createTicket(page, orgSlug);
  const subscriptionId = await upgradeToPro(page, orgSlug);
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  const banner = page.getByRole("region", { name: "Billing notice" });
  await expect(banner).toHaveCount(0);

  // The renewal fails: Stripe sends invoice.payment_failed (and the subscription update).
  for (const event of stripe.failPayment(subscriptionId)) {
    expect((await stripe.deliver(event)).status).toBe(200);
  }

  await page.goto(`/${orgSlug}/projects`);
  await expect(banner).toContainText(
    "Payment for the Pro plan is overdue, so new runs are paused. Update the payment method to resume.",
  );
  await page.goto(`/${orgSlug}/tickets/${ticket.id}`);
  await expect(banner).toBeVisible();
  await waitForHydration(page);
  const specs = page.getByRole("region", { name: "Specs" });
  await specs.getByRole("button", { name: "Start spec" }).click();
  await expect(
    page.getByText(
      /Pro plan is overdue, so new runs are paused\. Update the payment method on the billing page/,
    ),
  ).toBeVisible();
  await expect(specs.getByText("No spec yet")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/tickets/${ticket.id}$`));

  // The toast leads to the billing page, which says why.
  await page.getByRole("button", { name: "Go to billing" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/settings/billing$`));
  await expect(page.getByText("Past due", { exact: true })).toBeVisible();

  // Paid: the banner goes and work can start again.
  for (const event of stripe.payInvoice(subscriptionId)) {
    expect((await stripe.deliver(event)).status).toBe(200);
  }
  await page.goto(`/${orgSlug}/tickets/${ticket.id}`);
  await expect(page.getByRole("heading", { level: 1, name: ticket.name })).toBeVisible();
  await expect(banner).toHaveCount(0);
});
