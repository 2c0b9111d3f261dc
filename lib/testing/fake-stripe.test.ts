import { describe, expect, it } from "vitest";
import { decodeStripeForm } from "./fake-stripe";

describe("decodeStripeForm", () => {
  it("reads Stripe's bracketed form encoding into objects and arrays", () => {
    const body =
      "mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=1" +
      "&line_items[1][price]=price_2&metadata[orgId]=org_1&subscription_data[metadata][orgId]=org_1" +
      "&success_url=http%3A%2F%2Flocalhost%2Fok%3Fa%3D1";
    expect(decodeStripeForm(body.replace(/\[/g, "%5B").replace(/\]/g, "%5D"))).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_1", quantity: "1" }, { price: "price_2" }],
      metadata: { orgId: "org_1" },
      subscription_data: { metadata: { orgId: "org_1" } },
      success_url: "http://localhost/ok?a=1",
    });
  });
});
