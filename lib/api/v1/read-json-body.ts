import "server-only";
import { AppError } from "@/lib/api/app-error";

/**
 * Reads a request's JSON body, refusing more than `maxBytes` (413) — by Content-Length when the
 * client sends one, and by counting as it streams otherwise, so an oversized body is never held
 * whole. An empty body is `undefined`; malformed JSON is INVALID.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes} bytes.`, {
      maxBytes,
    });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID", "The request body is not valid JSON.", {
      fields: { _body: "Not valid JSON" },
    });
  }
}
