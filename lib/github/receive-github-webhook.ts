import "server-only";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/app-error";
import { env } from "@/lib/env";
import { getJobEngine } from "@/lib/jobs/get-job-engine";
import { handledGithubEvents, parseGithubWebhook } from "./github-webhook";
import { type GithubDelivery, githubWebhookEvent } from "./handle-github-webhook";
import { verifyWebhookSignature } from "./verify-webhook-signature";

/**
 * The synchronous half of a webhook delivery: checks its signature over the raw bytes, parses
 * what Trellis acts on and queues it for the background function; nothing is written here. An
 * event Trellis does not act on is acknowledged and dropped.
 */
export async function receiveGithubWebhook(options: {
  body: Uint8Array;
  headers: Headers;
}): Promise<{ queued: boolean; deliveryId: string | null }> {
  const secret = env().GITHUB_WEBHOOK_SECRET;
  if (!secret) throw new AppError("UNAVAILABLE", "GitHub webhooks are not configured here.");
  if (!verifyWebhookSignature(secret, options.body, options.headers.get("x-hub-signature-256"))) {
    throw new AppError(
      "UNAUTHENTICATED",
      "The X-Hub-Signature-256 header does not match the body.",
    );
  }
  const event = options.headers.get("x-github-event") ?? "";
  const deliveryId = options.headers.get("x-github-delivery");
  if (!handledGithubEvents.has(event)) return { queued: false, deliveryId };
  if (!deliveryId) throw new AppError("INVALID", "The X-GitHub-Delivery header is missing.");

  let webhook: ReturnType<typeof parseGithubWebhook>;
  try {
    webhook = parseGithubWebhook(event, JSON.parse(new TextDecoder().decode(options.body)));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof ZodError) {
      throw new AppError("INVALID", `The ${event} payload is not what GitHub sends.`);
    }
    throw error;
  }
  if (!webhook) return { queued: false, deliveryId };
  await getJobEngine().send<GithubDelivery>({
    name: githubWebhookEvent,
    data: { deliveryId, event, webhook },
    id: `github-delivery:${deliveryId}`,
  });
  return { queued: true, deliveryId };
}
