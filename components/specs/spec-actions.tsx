"use client";

import { Check, MessageSquareWarning, Pencil, RotateCcw, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { useLiveRefresh } from "@/components/execution/live-refresh";
import { FormError } from "@/components/forms/form-error";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Kbd } from "@/components/ui/kbd";
import { Textarea } from "@/components/ui/textarea";
import type { SpecPhase, SpecState } from "@/lib/generated/prisma/enums";

const phaseName: Record<SpecPhase, string> = {
  REQUIREMENTS: "requirements",
  DESIGN: "design",
  TASKS: "tasks",
};

/**
 * Approve / request changes / edit for the phase in review, retry and cancel;
 * while a phase runs, the page follows it live (components/realtime).
 */
export function SpecActions(props: {
  specId: string;
  state: SpecState;
  reviewPhase: SpecPhase | null;
  running: boolean;
  canWrite: boolean;
  editMarkdown: string | null;
}) {
  const { specId, state, reviewPhase, running, canWrite } = props;
  const router = useRouter();
  const approve = useOrgAction("approvePhase");
  const changes = useOrgAction("requestChanges");
  const edit = useOrgAction("editArtifactMarkdown");
  const cancel = useOrgAction("cancelSpec");
  const retry = useOrgAction("retrySpec");
  const [dialog, setDialog] = useState<"changes" | "edit" | null>(null);
  const [feedback, setFeedback] = useState("");
  const [markdown, setMarkdown] = useState(props.editMarkdown ?? "");

  useLiveRefresh(running);

  const doApprove = () => {
    if (!reviewPhase) return;
    approve.run({ specId, phase: reviewPhase }, () => {
      toast.success(`Approved the ${phaseName[reviewPhase]}`);
      router.refresh();
    });
  };

  useEffect(() => {
    if (!reviewPhase || !canWrite) return;
    function onKeyDown(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (target?.closest("input, textarea, select, [contenteditable=true], [role=dialog]")) return;
      if (event.key.toLowerCase() === "a") {
        event.preventDefault();
        document.getElementById("approve-phase")?.click();
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [reviewPhase, canWrite]);

  if (!canWrite) return null;
  const terminal = state === "DONE" || state === "CANCELLED" || state === "FAILED";
  return (
    <div className="flex flex-wrap items-center gap-2">
      {reviewPhase ? (
        <>
          <Button
            id="approve-phase"
            size="sm"
            onClick={doApprove}
            disabled={approve.pending}
            aria-keyshortcuts="a"
          >
            <Check aria-hidden="true" /> Approve {phaseName[reviewPhase]}{" "}
            <Kbd className="ml-1">A</Kbd>
          </Button>
          <Button size="sm" variant="outline" onClick={() => setDialog("changes")}>
            <MessageSquareWarning aria-hidden="true" /> Request changes
          </Button>
          {props.editMarkdown !== null ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setMarkdown(props.editMarkdown ?? "");
                setDialog("edit");
              }}
            >
              <Pencil aria-hidden="true" /> Edit Markdown
            </Button>
          ) : null}
        </>
      ) : null}
      {state === "FAILED" ? (
        <Button
          size="sm"
          onClick={() => retry.run({ specId }, () => router.refresh())}
          disabled={retry.pending}
        >
          <RotateCcw aria-hidden="true" /> Retry phase
        </Button>
      ) : null}
      {!terminal && state !== "DRAFT" ? (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => cancel.run({ specId }, () => router.refresh())}
          disabled={cancel.pending}
        >
          <X aria-hidden="true" /> Cancel spec
        </Button>
      ) : null}

      <Dialog
        open={dialog === "changes"}
        onOpenChange={(open) => setDialog(open ? "changes" : null)}
      >
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Request changes</DialogTitle>
            <DialogDescription>
              The {reviewPhase ? phaseName[reviewPhase] : "phase"} run again with your feedback;
              this version stays in the history.
            </DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              if (!reviewPhase) return;
              changes.run({ specId, phase: reviewPhase, feedback }, () => {
                setDialog(null);
                setFeedback("");
                toast.success("Sent back with your feedback");
                router.refresh();
              });
            }}
          >
            <FormField
              id="feedback"
              label="What should change?"
              error={changes.fieldErrors.feedback}
            >
              <Textarea
                {...fieldControlProps("feedback", { error: changes.fieldErrors.feedback })}
                value={feedback}
                onChange={(e) => setFeedback(e.target.value)}
                rows={5}
                autoFocus
              />
            </FormField>
            <FormError message={changes.formError} />
            <DialogFooter>
              <Button type="submit" disabled={changes.pending}>
                {changes.pending ? "Sending…" : "Send back"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>

      <Dialog open={dialog === "edit"} onOpenChange={(open) => setDialog(open ? "edit" : null)}>
        <DialogContent className="sm:max-w-3xl">
          <DialogHeader>
            <DialogTitle>Edit the {reviewPhase ? phaseName[reviewPhase] : "artifact"}</DialogTitle>
            <DialogDescription>
              Markdown in the layout Kiro and other spec tools use. Saving makes a new version.
            </DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              if (!reviewPhase) return;
              edit.run({ specId, phase: reviewPhase, markdown }, () => {
                setDialog(null);
                toast.success("Saved as a new version");
                router.refresh();
              });
            }}
          >
            <FormField id="markdown" label="Markdown" error={edit.fieldErrors.markdown}>
              <Textarea
                {...fieldControlProps("markdown", { error: edit.fieldErrors.markdown })}
                value={markdown}
                onChange={(e) => setMarkdown(e.target.value)}
                rows={20}
                className="font-mono text-xs"
              />
            </FormField>
            <FormError message={edit.formError} />
            <DialogFooter>
              <Button type="submit" disabled={edit.pending}>
                {edit.pending ? "Saving…" : "Save version"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
