import { requireOrgContext } from "@/lib/auth/org-context";
import { can } from "@/lib/orgs/roles";
import { blockingReason } from "./blocking-reason";
import { loadTaskView } from "./load-task-view";
import { TaskDetail } from "./task-detail";
import { TaskRouteDrawer } from "./task-route-drawer";

/**
 * The page of the intercepted task routes (`@modal/(..)tasks/[taskId]` of the board, the graph
 * and a spec): the task's detail in the drawer, over the page it was opened from.
 */
export async function TaskDrawerPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string; taskId: string }>;
  searchParams: Promise<{ tab?: string; run?: string }>;
}) {
  const { org: orgSlug, taskId } = await params;
  const { tab, run } = await searchParams;
  const { actor, org } = await requireOrgContext(orgSlug);
  const view = await loadTaskView(actor, { taskId, tab, run, drawer: true });
  const { task } = view;
  const waitsFor =
    task.status === "PENDING"
      ? task.dependsOn.map((d) => d.dependsOn).filter((d) => d.status !== "DONE")
      : [];
  return (
    <TaskRouteDrawer
      summary={{
        id: task.id,
        key: task.key,
        title: task.title,
        status: task.status,
        blockedReason: waitsFor.length ? blockingReason(waitsFor) : null,
      }}
      href={`/${org.slug}/tasks/${task.id}`}
    >
      <TaskDetail
        orgSlug={org.slug}
        view={view}
        canWrite={can(actor.role, "write")}
        variant="drawer"
      />
    </TaskRouteDrawer>
  );
}
