import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createTaskScope } from "@/lib/tasks/testing/task-fixtures";
import { expectNoSeriousViolations } from "./axe";
import { orgIdOf, withE2eDb } from "./db";
import { signUp, tabTo, waitForHydration } from "./fixtures";

test("an owner sees a failed callback and sends it again from the keyboard; it arrives", async ({
  page,
}) => {
  // The receiver CI runs: the worker of the server under test POSTs to it once it is sent again.
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hooks/trellis`;
  const error = `Network error: connect ECONNREFUSED 127.0.0.1:${port} (the receiver was down for its deploy)`;

  try {
    const { orgSlug } = await signUp(page, { name: "Ada Callbacks" });
    const deliveryId = await withE2eDb(async (db) => {
      const orgId = await orgIdOf(db, orgSlug);
      // A receiver on this machine is allowed explicitly, as the Callbacks panel lets admins do.
      await db.$executeRaw`UPDATE "Organization" SET settings = settings || ${JSON.stringify({ allowedCallbackHosts: ["127.0.0.1"] })}::jsonb WHERE id = ${orgId}`;
      const { projectId } = await createTaskScope(db, { orgId, name: "Hooks" });
      const ticket = await db.ticket.create({
        data: { orgId, projectId, number: 1, title: "Bump dependencies", callbackUrl: url },
      });
      const delivery = await db.callbackDelivery.create({
        data: {
          orgId,
          ticketId: ticket.id,
          url,
          payload: { type: "ticket.done", data: { ticket_id: ticket.id } },
          status: "FAILED",
          attempts: 8,
          lastError: error,
        },
      });
      return delivery.id;
    });

    await page.goto(`/${orgSlug}/settings`);
    await waitForHydration(page);
    const deliveries = page.getByRole("table", { name: "Recent deliveries" });
    const row = deliveries.getByRole("row").filter({ hasText: "Bump dependencies" });
    await expect(row.getByText("Failed", { exact: true })).toBeVisible();
    await expect(row.getByRole("cell", { name: "8", exact: true })).toBeVisible();
    await expect(row.getByRole("link", { name: /#1 Bump dependencies/ })).toHaveAttribute(
      "href",
      new RegExp(`/${orgSlug}/tickets/tkt_`),
    );
    // The long error is cut to one line and expands in place.
    const lastError = row.getByRole("button", { name: error });
    await expect(lastError).toHaveAttribute("aria-expanded", "false");

    // The table with a failed row passes axe in both themes (e2e/a11y.spec.ts sees it empty).
    for (const theme of ["light", "dark"] as const) {
      if (theme === "dark") {
        await page.emulateMedia({ colorScheme: "dark" });
        await page.reload();
        await waitForHydration(page);
        await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      }
      await expectNoSeriousViolations(page, `settings with a failed delivery (${theme})`);
    }

    await tabTo(page, lastError, 150);
    await page.keyboard.press("Enter");
    await expect(lastError).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Tab");
    await expect(
      row.getByRole("button", { name: "Send again: the callback for ticket #1" }),
    ).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByText("Callback for ticket #1 queued to send again")).toBeVisible();

    // The worker delivers it to the receiver, signed, under the same webhook-id.
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
    expect(received[0]?.headers["webhook-id"]).toBe(deliveryId);
    const secret = await withE2eDb(async (db) => {
      const org = await db.organization.findUniqueOrThrow({ where: { slug: orgSlug } });
      return (org.settings as { callbackSigningSecret: string }).callbackSigningSecret;
    });
    const { headers, body } = received[0] ?? { headers: {}, body: "" };
    const expected = createHmac("sha256", Buffer.from(secret.replace(/^whsec_/, ""), "base64"))
      .update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`)
      .digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(JSON.parse(body)).toMatchObject({ type: "ticket.done" });
    // The open page shows the outcome without a reload: the worker's delivery is announced.
    await expect(row.getByText("Delivered", { exact: true })).toBeVisible();
    await expect(row.getByRole("cell", { name: "1", exact: true })).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("a delivery that fails in the background shows as failed on the open Settings page", async ({
  page,
}) => {
  // A receiver that has gone away for good: 410 is not retried.
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(410).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/hooks/gone`;
  try {
    const { orgSlug } = await signUp(page, { name: "Grace Callbacks" });
    const deliveryId = await withE2eDb(async (db) => {
      const orgId = await orgIdOf(db, orgSlug);
      await db.$executeRaw`UPDATE "Organization" SET settings = settings || ${JSON.stringify({ allowedCallbackHosts: ["127.0.0.1"] })}::jsonb WHERE id = ${orgId}`;
      const { projectId } = await createTaskScope(db, { orgId, name: "Hooks" });
      const ticket = await db.ticket.create({
        data: { orgId, projectId, number: 1, title: "Rotate certificates", callbackUrl: url },
      });
      // Queued, but not due until the page is open (so the worker cannot settle it first).
      const delivery = await db.callbackDelivery.create({
        data: {
          orgId,
          ticketId: ticket.id,
          url,
          payload: { type: "ticket.done", data: { ticket_id: ticket.id } },
          nextAttemptAt: new Date(Date.now() + 24 * 60 * 60_000),
        },
      });
      return delivery.id;
    });

    await page.goto(`/${orgSlug}/settings`);
    await waitForHydration(page);
    const row = page
      .getByRole("table", { name: "Recent deliveries" })
      .getByRole("row")
      .filter({ hasText: "Rotate certificates" });
    await expect(row.getByText("Pending", { exact: true })).toBeVisible();
    await expect(row.getByRole("button", { name: /^Send again/ })).toHaveCount(0);

    // Due now: the worker tries it, the receiver refuses it, and the open page follows.
    await withE2eDb((db) =>
      db.callbackDelivery.update({
        where: { id: deliveryId },
        data: { nextAttemptAt: new Date() },
      }),
    );
    await expect(row.getByText("Failed", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(row.getByText("The receiver answered 410")).toBeVisible();
    await expect(
      row.getByRole("button", { name: "Send again: the callback for ticket #1" }),
    ).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
