import { db } from "@/lib/db/client";
import {
  type GithubDelivery,
  githubWebhookEvent,
  handleGithubWebhook,
} from "@/lib/github/handle-github-webhook";
import { defineJobFunction } from "@/lib/jobs/port";

/** Does the work of one verified GitHub webhook delivery (the route only verifies and queues). */
export const githubWebhookFunction = defineJobFunction<GithubDelivery>(
  {
    id: "github-webhook",
    event: githubWebhookEvent,
    retries: 5,
    // One repository's deliveries one at a time, so a label and a command on one issue do not race.
    concurrency: {
      key: (data) =>
        "repository" in data.webhook ? data.webhook.repository.toLowerCase() : "installations",
      limit: 1,
    },
  },
  ({ event, step }) => handleGithubWebhook(db(), { delivery: event.data, step }),
);
