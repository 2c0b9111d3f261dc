"use client";

import { RotateCcw, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";

const cancellable = new Set(["PENDING", "QUEUED", "RUNNING", "VERIFYING", "NEEDS_ATTENTION"]);
const retryable = new Set(["FAILED", "NEEDS_ATTENTION"]);

/** Cancel a task that has not ended (its agent is stopped), or send a failed one back to the queue. */
export function TaskActions({ taskId, status }: { taskId: string; status: string }) {
  const router = useRouter();
  const cancel = useOrgAction("cancelTask");
  const retry = useOrgAction("retryTask");
  return (
    <div className="flex gap-2">
      {retryable.has(status) ? (
        <Button
          size="sm"
          disabled={retry.pending}
          onClick={() =>
            retry.run({ taskId }, () => {
              toast.success("Task queued again");
              router.refresh();
            })
          }
        >
          <RotateCcw aria-hidden="true" /> Retry task
        </Button>
      ) : null}
      {cancellable.has(status) ? (
        <Button
          size="sm"
          variant="outline"
          disabled={cancel.pending}
          onClick={() =>
            cancel.run({ taskId }, () => {
              toast.success("Task cancelled");
              router.refresh();
            })
          }
        >
          <X aria-hidden="true" /> Cancel task
        </Button>
      ) : null}
    </div>
  );
}
