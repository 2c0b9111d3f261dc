"use client";

import { Check, Copy, Link2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { toast } from "sonner";
import { NativeSelect } from "@/components/forms/native-select";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { Role } from "@/lib/generated/prisma/enums";

export interface InvitationRow {
  id: string;
  role: Role;
  /** ISO timestamps for <time>, with labels formatted on the server (no hydration drift). */
  createdAt: string;
  createdLabel: string;
  expiresAt: string;
  expiresLabel: string;
}

const roleLabel = (role: Role) => role.charAt(0) + role.slice(1).toLowerCase();

/** Create an invite link (shown once), and the open links with their expiry; controls only for admins and owners. */
export function InvitePanel({
  appUrl,
  canManage,
  assignableRoles,
  invitations,
}: {
  appUrl: string;
  canManage: boolean;
  assignableRoles: Role[];
  invitations: InvitationRow[];
}) {
  const [created, setCreated] = useState<{ id: string; link: string; role: Role } | null>(null);
  return (
    <div className="grid gap-4">
      {canManage ? (
        <CreateInvite
          appUrl={appUrl}
          assignableRoles={assignableRoles}
          onCreated={(id, link, role) => setCreated({ id, link, role })}
        />
      ) : null}
      {created ? <NewLink link={created.link} role={created.role} /> : null}
      {invitations.length === 0 ? (
        <p className="text-muted-foreground text-sm">No open invite links.</p>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Role</TableHead>
                <TableHead scope="col">Created</TableHead>
                <TableHead scope="col">Expires</TableHead>
                {canManage ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {invitations.map((inv) => (
                <TableRow key={inv.id}>
                  <TableCell>
                    <Badge variant="muted">{roleLabel(inv.role)}</Badge>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <time dateTime={inv.createdAt}>{inv.createdLabel}</time>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <time dateTime={inv.expiresAt}>{inv.expiresLabel}</time>
                  </TableCell>
                  {canManage ? (
                    <TableCell className="text-right">
                      <RevokeButton
                        invitation={inv}
                        onRevoked={() => setCreated((c) => (c?.id === inv.id ? null : c))}
                      />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}

function CreateInvite({
  appUrl,
  assignableRoles,
  onCreated,
}: {
  appUrl: string;
  assignableRoles: Role[];
  onCreated: (id: string, link: string, role: Role) => void;
}) {
  const router = useRouter();
  const create = useOrgAction("createInvitation");
  const [role, setRole] = useState<Role>(
    assignableRoles.includes("MEMBER") ? "MEMBER" : (assignableRoles[0] ?? "VIEWER"),
  );
  const error = create.fieldErrors.role;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.run({ role }, (inv) => {
      onCreated(inv.id, `${appUrl}/invite/${inv.token}`, inv.role);
      toast.success("Invite link created");
      router.refresh();
    });
  }

  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-wrap items-end gap-2"
      aria-label="Create an invite link"
      noValidate
    >
      <FormField id="invite-role" label="Role for the new member" error={error} className="w-48">
        <NativeSelect
          {...fieldControlProps("invite-role", { error })}
          className="h-8"
          value={role}
          onChange={(e) => setRole(assignableRoles.find((r) => r === e.target.value) ?? role)}
          disabled={create.pending}
        >
          {assignableRoles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <Button type="submit" disabled={create.pending}>
        <Link2 aria-hidden="true" /> {create.pending ? "Creating…" : "Create invite link"}
      </Button>
    </form>
  );
}

function NewLink({ link, role }: { link: string; role: Role }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      toast.success("Invite link copied");
    } catch {
      // The clipboard API needs a secure context; fall back to a selection the user can copy.
      input.current?.select();
      toast.info("Press Ctrl+C (⌘C) to copy the selected link");
    }
  }

  return (
    <div className="grid max-w-2xl gap-1.5 rounded-lg border bg-muted/40 p-3">
      <FormField
        id="invite-link"
        label="New invite link"
        hint={`Anyone with this link can join as ${roleLabel(role).toLowerCase()}. It works once and expires in 7 days. Copy it now: it is not shown again.`}
      >
        <div className="flex gap-2">
          <Input
            {...fieldControlProps("invite-link", { hint: "x" })}
            ref={input}
            value={link}
            readOnly
            onFocus={(e) => e.currentTarget.select()}
            className="font-mono text-xs"
            spellCheck={false}
          />
          <Button variant="outline" onClick={copy}>
            {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
            {copied ? "Copied" : "Copy link"}
          </Button>
        </div>
      </FormField>
    </div>
  );
}

function RevokeButton({
  invitation,
  onRevoked,
}: {
  invitation: InvitationRow;
  onRevoked: () => void;
}) {
  const router = useRouter();
  const revoke = useOrgAction("revokeInvitation");
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={revoke.pending}
      aria-label={`Revoke ${roleLabel(invitation.role).toLowerCase()} invite link created ${invitation.createdLabel}`}
      onClick={() =>
        revoke.run({ invitationId: invitation.id }, () => {
          onRevoked();
          toast.success("Invite link revoked");
          router.refresh();
        })
      }
    >
      {revoke.pending ? "Revoking…" : "Revoke"}
    </Button>
  );
}
