"use client";

import { Play, Wallet } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
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
import { Input } from "@/components/ui/input";

const usd = (amount: number) => `$${amount.toFixed(2)}`;

/**
 * The spec's spending against its budget, a way to set the budget, and, when the budget
 * paused execution, the reason and a Resume button.
 */
export function SpecBudget(props: {
  specId: string;
  spentUsd: number;
  budgetUsd: number | null;
  pausedReason: string | null;
  canWrite: boolean;
}) {
  const { specId, spentUsd, budgetUsd, pausedReason, canWrite } = props;
  const router = useRouter();
  const save = useOrgAction("setSpecBudget");
  const resume = useOrgAction("resumeSpecExecution");
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState(budgetUsd === null ? "" : String(budgetUsd));

  return (
    <div className="grid gap-2">
      {pausedReason ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-3 rounded-md border border-status-attention/50 bg-status-attention/10 px-3 py-2 text-sm"
        >
          <span className="font-medium">Execution paused.</span>
          <span>{pausedReason}</span>
          {canWrite ? (
            <span className="ml-auto flex gap-2">
              <Button size="sm" variant="outline" onClick={() => setOpen(true)}>
                <Wallet aria-hidden="true" /> Raise budget
              </Button>
              <Button
                size="sm"
                disabled={resume.pending}
                onClick={() =>
                  resume.run({ specId }, (r) => {
                    toast.success(
                      `Execution resumed: ${r.queued} task${r.queued === 1 ? "" : "s"} queued`,
                    );
                    router.refresh();
                  })
                }
              >
                <Play aria-hidden="true" /> Resume execution
              </Button>
            </span>
          ) : null}
        </div>
      ) : null}
      <p className="flex items-center gap-2 text-muted-foreground text-sm">
        <Wallet aria-hidden="true" className="size-4" />
        <span data-testid="spec-spend">
          {usd(spentUsd)} spent
          {budgetUsd === null ? " · no budget" : ` of a ${usd(budgetUsd)} budget`}
        </span>
        {canWrite && !pausedReason ? (
          <Button size="sm" variant="ghost" onClick={() => setOpen(true)}>
            {budgetUsd === null ? "Set budget" : "Change budget"}
          </Button>
        ) : null}
      </p>

      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Spec budget</DialogTitle>
            <DialogDescription>
              The most this spec may spend on model calls. When it is reached, execution pauses
              until you raise it and resume. {usd(spentUsd)} is spent so far.
            </DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              const trimmed = amount.trim();
              save.run({ specId, budgetUsd: trimmed === "" ? null : Number(trimmed) }, (b) => {
                setOpen(false);
                toast.success(
                  b.budgetUsd === null ? "Budget removed" : `Budget set to ${usd(b.budgetUsd)}`,
                );
                router.refresh();
              });
            }}
          >
            <FormField
              id="budgetUsd"
              label="Budget in US dollars"
              hint="Leave empty for no budget."
              error={save.fieldErrors.budgetUsd}
            >
              <Input
                {...fieldControlProps("budgetUsd", {
                  error: save.fieldErrors.budgetUsd,
                  hint: "Leave empty for no budget.",
                })}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                autoFocus
              />
            </FormField>
            <FormError message={save.formError} />
            <DialogFooter>
              <Button type="submit" disabled={save.pending}>
                {save.pending ? "Saving…" : "Save budget"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
