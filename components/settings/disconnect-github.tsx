"use client";

import { Unplug } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
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

/** Uninstalls the GitHub App from a connected account, after a confirmation (admins and owners). */
export function DisconnectGithub({
  installationId,
  accountLogin,
}: {
  installationId: string;
  accountLogin: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const disconnect = useOrgAction("disconnectGithubInstallation");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Disconnect ${accountLogin}`}>
          <Unplug aria-hidden="true" /> Disconnect
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Disconnect {accountLogin}?</DialogTitle>
          <DialogDescription>
            The Trellis GitHub App is uninstalled from {accountLogin} on GitHub. Projects linked to
            its repositories keep their repository name but can no longer clone, push or open pull
            requests, and its labelled issues stop becoming tickets, until you connect it again.
          </DialogDescription>
        </DialogHeader>
        <FormError message={disconnect.formError} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={disconnect.pending}
            onClick={() =>
              disconnect.run({ installationId }, () => {
                setOpen(false);
                toast.success(`${accountLogin} disconnected from GitHub`);
                router.refresh();
              })
            }
          >
            {disconnect.pending ? "Disconnecting…" : "Disconnect"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
