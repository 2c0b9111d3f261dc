"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";

/** Deletes a project after an explicit confirmation. */
export function DeleteProjectButton({
  orgSlug,
  projectId,
  name,
}: {
  orgSlug: string;
  projectId: string;
  name: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useOrgAction("deleteProject");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="destructive" size="sm">
          Delete project
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Delete {name}?</DialogTitle>
          <DialogDescription>
            Its tickets, specs, tasks and history are deleted with it. The repository on disk is not
            touched.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={remove.pending}
            onClick={() =>
              remove.run({ projectId }, () => {
                setOpen(false);
                toast.success(`Deleted ${name}`);
                router.push(`/${orgSlug}/projects`);
                router.refresh();
              })
            }
          >
            {remove.pending ? "Deleting…" : "Delete project"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
