/** The spec's integration branch: every verified task is merged into it. */
export function integrationBranchOf(spec: {
  slug: string;
  integrationBranch: string | null;
}): string {
  return spec.integrationBranch ?? `trellis/${spec.slug}`;
}

/**
 * A task's own branch. Not "trellis/<slug>/<key>": a ref cannot be both a branch and a
 * folder of branches.
 */
export function taskBranchOf(spec: { slug: string }, taskKey: string): string {
  return `trellis/${spec.slug}--task-${branchSafe(taskKey)}`;
}

function branchSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "") || "task";
}
