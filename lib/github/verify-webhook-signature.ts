import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * True when `header` (X-Hub-Signature-256: "sha256=<hex>") is the HMAC-SHA256 of the raw body
 * bytes under `secret`. Compared in constant time; over the bytes as received, so nothing
 * (re-encoding, JSON parsing) can change what was signed.
 */
export function verifyWebhookSignature(
  secret: string,
  body: Uint8Array,
  header: string | null | undefined,
): boolean {
  if (!secret || !header) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The X-Hub-Signature-256 header GitHub would send for `body` (tests, fakes). */
export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
