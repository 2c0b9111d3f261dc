import { db } from "@/lib/db/client";
import {
  type GithubSpecStatus,
  githubSpecStatusEvent,
  publishSpecStatus,
} from "@/lib/github/spec-status";
import { defineJobFunction } from "@/lib/jobs/port";

/**
 * Tells GitHub where a linked spec is: a comment on its issue as phases pass, and when the spec
 * is done its branch pushed and its pull request opened.
 */
export const githubSpecStatusFunction = defineJobFunction<GithubSpecStatus>(
  {
    id: "github-spec-status",
    event: githubSpecStatusEvent,
    retries: 5,
    concurrency: { key: (data) => data.specId, limit: 1 },
  },
  ({ event, step }) => publishSpecStatus(db(), { status: event.data, step }),
);
