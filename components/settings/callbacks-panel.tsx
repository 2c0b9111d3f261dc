"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
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
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import { CopySecret } from "./copy-secret";

/**
 * Callback settings: the signing secret receivers verify deliveries with (admins and owners), and
 * the hosts callbacks may reach even when they resolve to private addresses.
 */
export function CallbacksPanel({
  canManage,
  signingSecret,
  allowedHosts,
}: {
  canManage: boolean;
  signingSecret: string | null;
  allowedHosts: string[];
}) {
  return (
    <div className="grid max-w-2xl gap-5">
      {canManage && signingSecret ? (
        <div className="grid gap-2">
          <CopySecret
            id="callback-secret"
            label="Signing secret"
            hint="Callbacks carry webhook-id, webhook-timestamp and webhook-signature (v1, base64 HMAC-SHA256 of id.timestamp.body with the base64 part of this secret), as Standard Webhooks libraries verify them."
            value={signingSecret}
            what="Signing secret"
          />
          <div>
            <RotateSecret />
          </div>
        </div>
      ) : null}
      {canManage ? (
        <AllowedHostsForm initial={allowedHosts} />
      ) : (
        <p className="text-muted-foreground text-sm">
          {allowedHosts.length > 0
            ? `Callbacks may also reach: ${allowedHosts.join(", ")}.`
            : "Callbacks reach public addresses only."}{" "}
          Admins and owners can change this.
        </p>
      )}
    </div>
  );
}

function AllowedHostsForm({ initial }: { initial: string[] }) {
  const router = useRouter();
  const save = useOrgAction("updateCallbackHosts");
  const [text, setText] = useState(initial.join("\n"));
  // Errors name list positions (hosts.2); show the first next to the field.
  const error = Object.entries(save.fieldErrors).find(([k]) => k.startsWith("hosts"))?.[1];
  const hint =
    "One per line: a host name, *.example.com, or an IP address. Callbacks to these hosts skip the check that refuses loopback, private, link-local and metadata addresses — list only receivers you run.";

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const hosts = text
      .split(/[\n,]/)
      .map((h) => h.trim())
      .filter(Boolean);
    save.run({ hosts }, (result) => {
      setText(result.hosts.join("\n"));
      toast.success("Allowed callback hosts saved");
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-2" aria-label="Allowed callback hosts" noValidate>
      <FormField id="callback-hosts" label="Allowed private hosts" hint={hint} error={error}>
        <Textarea
          {...fieldControlProps("callback-hosts", { error, hint })}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={3}
          className="font-mono text-xs"
          placeholder={"hooks.internal\n*.ci.corp.example"}
          spellCheck={false}
          disabled={save.pending}
        />
      </FormField>
      <FormError message={save.formError} />
      <div>
        <Button type="submit" variant="outline" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save hosts"}
        </Button>
      </div>
    </form>
  );
}

function RotateSecret() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const rotate = useOrgAction("rotateCallbackSecret");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <RefreshCw aria-hidden="true" /> Rotate secret
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rotate the signing secret?</DialogTitle>
          <DialogDescription>
            Callbacks from now on are signed with a new secret; receivers that still check the old
            one will reject them until you update them.
          </DialogDescription>
        </DialogHeader>
        <FormError message={rotate.formError} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={rotate.pending}
            onClick={() =>
              rotate.run({}, () => {
                setOpen(false);
                toast.success("Signing secret rotated");
                router.refresh();
              })
            }
          >
            {rotate.pending ? "Rotating…" : "Rotate secret"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
