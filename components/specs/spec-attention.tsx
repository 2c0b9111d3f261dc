import Link from "next/link";

interface HeldTask {
  id: string;
  key: string;
  title: string;
  status: string;
  attentionReason: string | null;
}

/**
 * Why an executing spec is stuck and the way forward: the failed (or escalated) tasks, each
 * linked to its page, where "Retry task" sends it back to the queue.
 */
export function SpecAttention({ orgSlug, tasks }: { orgSlug: string; tasks: HeldTask[] }) {
  if (tasks.length === 0) return null;
  const failed = tasks.some((t) => t.status === "FAILED");
  return (
    <section
      role="alert"
      aria-label="Needs attention"
      className="grid gap-1.5 rounded-md border border-status-attention/50 bg-status-attention/10 px-3 py-2 text-sm"
    >
      <p className="font-medium">
        Execution is held: {tasks.length === 1 ? "a task needs" : `${tasks.length} tasks need`} a
        person. The tasks that depend on {tasks.length === 1 ? "it" : "them"} wait, and the spec
        cannot finish, until {tasks.length === 1 ? "it is" : "they are"} done.
      </p>
      <ul className="grid gap-1">
        {tasks.map((task) => (
          <li key={task.id} className="min-w-0">
            <Link
              href={`/${orgSlug}/tasks/${task.id}`}
              className="font-medium underline underline-offset-2"
            >
              Task {task.key} {task.title}
            </Link>{" "}
            {task.status === "FAILED" ? "failed" : "needs attention"}
            {task.attentionReason ? (
              <span className="text-muted-foreground">: {task.attentionReason}</span>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="text-muted-foreground">
        {failed
          ? "Open the task to read its log, fix the cause (the project's commands, the repository or the task), then press Retry task."
          : "Open the task to see what the agent asked, then retry it or mark it done."}
      </p>
    </section>
  );
}
