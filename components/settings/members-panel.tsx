"use client";

import { LogOut } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { NativeSelect } from "@/components/forms/native-select";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Badge } from "@/components/ui/badge";
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
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { Role } from "@/lib/generated/prisma/enums";

export interface MemberRow {
  id: string;
  name: string | null;
  email: string;
  role: Role;
  isSelf: boolean;
  /** The viewer may change this member's role (admins and owners, up to their own rank, not themselves). */
  editable: boolean;
  /** The viewer may remove this member (same rule). */
  removable: boolean;
}

const roleLabel = (role: Role) => role.charAt(0) + role.slice(1).toLowerCase();
const displayName = (m: MemberRow) => m.name?.trim() || m.email;

/** The members table: role changes and removal for admins and owners, "Leave" for everyone. */
export function MembersPanel({
  orgName,
  members,
  assignableRoles,
}: {
  orgName: string;
  members: MemberRow[];
  assignableRoles: Role[];
}) {
  const self = members.find((m) => m.isSelf);
  const hasControls = members.some((m) => m.editable || m.removable);
  return (
    <div className="grid gap-3">
      <div className="rounded-lg border">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Name</TableHead>
              <TableHead scope="col">Email</TableHead>
              <TableHead scope="col">Role</TableHead>
              {hasControls ? (
                <TableHead scope="col">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((m) => (
              <TableRow key={m.id}>
                <TableCell className="font-medium">
                  {m.name?.trim() || <span className="text-muted-foreground">No name</span>}
                  {m.isSelf ? (
                    <span className="ml-1.5 font-normal text-muted-foreground text-xs">(you)</span>
                  ) : null}
                </TableCell>
                <TableCell className="text-muted-foreground">{m.email}</TableCell>
                <TableCell>
                  {m.editable ? (
                    <RoleSelect
                      key={`${m.id}-${m.role}`}
                      member={m}
                      assignableRoles={assignableRoles}
                    />
                  ) : (
                    <Badge variant={m.role === "OWNER" ? "outline" : "muted"}>
                      {roleLabel(m.role)}
                    </Badge>
                  )}
                </TableCell>
                {hasControls ? (
                  <TableCell className="text-right">
                    {m.removable ? <RemoveMemberButton member={m} orgName={orgName} /> : null}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {self ? (
        <div>
          <LeaveButton membershipId={self.id} orgName={orgName} />
        </div>
      ) : null}
    </div>
  );
}

function RoleSelect({ member, assignableRoles }: { member: MemberRow; assignableRoles: Role[] }) {
  const router = useRouter();
  const update = useOrgAction("updateMemberRole");
  const [value, setValue] = useState<Role>(member.role);
  const succeeded = useRef(false);
  const wasPending = useRef(false);

  // A refused change snaps back to the saved role (the hook has already toasted why).
  useEffect(() => {
    if (wasPending.current && !update.pending && !succeeded.current) setValue(member.role);
    wasPending.current = update.pending;
  }, [update.pending, member.role]);

  const options = assignableRoles.includes(member.role)
    ? assignableRoles
    : [member.role, ...assignableRoles];
  return (
    <NativeSelect
      aria-label={`Role of ${displayName(member)}`}
      className="h-7 w-28 text-dense"
      value={value}
      disabled={update.pending}
      onChange={(e) => {
        const role = options.find((r) => r === e.target.value);
        if (!role || role === value) return;
        const previous = value;
        setValue(role);
        succeeded.current = false;
        update.run({ membershipId: member.id, role }, () => {
          succeeded.current = true;
          toast.success(
            `${displayName(member)} is now ${roleLabel(role).toLowerCase()} (was ${roleLabel(previous).toLowerCase()})`,
          );
          router.refresh();
        });
      }}
    >
      {options.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </NativeSelect>
  );
}

function RemoveMemberButton({ member, orgName }: { member: MemberRow; orgName: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useOrgAction("removeMember");
  const name = displayName(member);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Remove ${name}`}>
          Remove
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Remove {name}?</DialogTitle>
          <DialogDescription>
            They lose access to {orgName} at once. Tickets and history they created stay. You can
            invite them again later.
          </DialogDescription>
        </DialogHeader>
        <FormError message={remove.formError} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={remove.pending}
            onClick={() =>
              remove.run({ membershipId: member.id }, () => {
                setOpen(false);
                toast.success(`Removed ${name}`);
                router.refresh();
              })
            }
          >
            {remove.pending ? "Removing…" : "Remove member"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function LeaveButton({ membershipId, orgName }: { membershipId: string; orgName: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const leave = useOrgAction("removeMember");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <LogOut aria-hidden="true" /> Leave organization
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Leave {orgName}?</DialogTitle>
          <DialogDescription>
            You lose access to its projects and tickets. To come back, ask an admin for a new invite
            link.
          </DialogDescription>
        </DialogHeader>
        <FormError message={leave.formError} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Stay</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={leave.pending}
            onClick={() =>
              leave.run({ membershipId }, () => {
                setOpen(false);
                toast.success(`You left ${orgName}`);
                router.push("/");
                router.refresh();
              })
            }
          >
            {leave.pending ? "Leaving…" : "Leave organization"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
