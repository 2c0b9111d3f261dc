import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./verify-webhook-signature";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("verifyWebhookSignature", () => {
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
  const secret = "It's a Secret to Everybody";
  const vector = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  it("accepts GitHub's published test vector", () => {
    expect(verifyWebhookSignature(secret, bytes("Hello, World!"), vector)).toBe(true);
    expect(signWebhookBody(secret, "Hello, World!")).toBe(vector);
  });

  it("refuses a changed byte, another secret, a missing or malformed header", () => {
    expect(verifyWebhookSignature(secret, bytes("Hello, World?"), vector)).toBe(false);
    expect(verifyWebhookSignature("another secret", bytes("Hello, World!"), vector)).toBe(false);
    expect(verifyWebhookSignature(secret, bytes("Hello, World!"), null)).toBe(false);
    expect(verifyWebhookSignature(secret, bytes("Hello, World!"), "")).toBe(false);
    expect(
      verifyWebhookSignature(secret, bytes("Hello, World!"), vector.replace("sha256=", "sha1=")),
    ).toBe(false);
    expect(verifyWebhookSignature(secret, bytes("Hello, World!"), `${vector}00`)).toBe(false);
    expect(verifyWebhookSignature("", bytes("Hello, World!"), vector)).toBe(false);
  });

  it("checks the bytes as received, not a re-encoding of them", () => {
    // Invalid UTF-8 would change if decoded and encoded again.
    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    expect(verifyWebhookSignature("s", body, signWebhookBody("s", body))).toBe(true);
    const reencoded = new TextEncoder().encode(new TextDecoder().decode(body));
    expect(verifyWebhookSignature("s", reencoded, signWebhookBody("s", body))).toBe(false);
  });
});
