"use client";

import { KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
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
import { CopySecret } from "./copy-secret";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scope: "READ" | "WRITE" | "ADMIN";
  createdBy: string | null;
  /** Labels are formatted on the server (no hydration drift); null: never. */
  createdLabel: string;
  lastUsedLabel: string | null;
  expiresLabel: string | null;
  state: "active" | "expired" | "revoked";
}

const scopeLabel = { READ: "Read", WRITE: "Write", ADMIN: "Admin" } as const;
const scopeHint = {
  READ: "reads projects, tickets, specs, tasks, runs and activity",
  WRITE: "also creates tickets, enqueues work, approves specs, cancels and retries tasks",
  ADMIN: "everything a write key can, for admin automation",
} as const;

/** Create a key (shown once), and the organization's keys with prefix, scope and last use; revoke. */
export function ApiKeysPanel({ canManage, keys }: { canManage: boolean; keys: ApiKeyRow[] }) {
  const [created, setCreated] = useState<{ id: string; key: string; name: string } | null>(null);
  return (
    <div className="grid gap-4">
      {canManage ? <CreateApiKey onCreated={setCreated} /> : null}
      {created ? (
        <div className="grid max-w-2xl gap-1.5 rounded-lg border bg-muted/40 p-3">
          <CopySecret
            id="new-api-key"
            label={`New API key “${created.name}”`}
            hint="Copy it now: it is shown once and only its hash is kept. Send it as Authorization: Bearer <key>."
            value={created.key}
            what="API key"
          />
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No API keys yet.{" "}
          {canManage
            ? "Create one to call the REST API from CI or scripts."
            : "Admins and owners can create them."}
        </p>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Name</TableHead>
                <TableHead scope="col">Key</TableHead>
                <TableHead scope="col">Scope</TableHead>
                <TableHead scope="col">Last used</TableHead>
                <TableHead scope="col">Expires</TableHead>
                {canManage ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((k) => (
                <TableRow key={k.id}>
                  <TableCell>
                    <div className="font-medium">{k.name}</div>
                    <div className="text-muted-foreground text-xs">
                      {k.createdLabel}
                      {k.createdBy ? ` by ${k.createdBy}` : ""}
                    </div>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{k.prefix}…</TableCell>
                  <TableCell>
                    <Badge variant="outline">{scopeLabel[k.scope]}</Badge>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {k.lastUsedLabel ?? "Never"}
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {k.state === "revoked" ? (
                      <Badge variant="cancelled">Revoked</Badge>
                    ) : k.state === "expired" ? (
                      <Badge variant="failed">Expired</Badge>
                    ) : (
                      (k.expiresLabel ?? "Never")
                    )}
                  </TableCell>
                  {canManage ? (
                    <TableCell className="text-right">
                      {k.state === "revoked" ? null : (
                        <RevokeApiKey
                          apiKey={k}
                          onRevoked={() => setCreated((c) => (c?.id === k.id ? null : c))}
                        />
                      )}
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

function CreateApiKey({
  onCreated,
}: {
  onCreated: (key: { id: string; key: string; name: string }) => void;
}) {
  const router = useRouter();
  const create = useOrgAction("createApiKey");
  const [name, setName] = useState("");
  const [scope, setScope] = useState<keyof typeof scopeLabel>("WRITE");
  const [expires, setExpires] = useState("0");
  const errors = create.fieldErrors;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.run({ name, scope, expiresInDays: Number(expires) }, (k) => {
      onCreated({ id: k.id, key: k.key, name: k.name });
      setName("");
      toast.success(`API key “${k.name}” created`);
      router.refresh();
    });
  }

  return (
    <form
      onSubmit={onSubmit}
      className="flex flex-wrap items-start gap-2"
      aria-label="Create an API key"
      noValidate
    >
      <FormField id="api-key-name" label="Name" error={errors.name} className="w-56">
        <Input
          {...fieldControlProps("api-key-name", { error: errors.name })}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="GitHub Actions"
          className="h-8"
          required
          disabled={create.pending}
        />
      </FormField>
      <FormField
        id="api-key-scope"
        label="Scope"
        error={errors.scope}
        hint={`${scopeLabel[scope]}: ${scopeHint[scope]}`}
        className="w-72"
      >
        <NativeSelect
          {...fieldControlProps("api-key-scope", {
            error: errors.scope,
            hint: scopeHint[scope],
          })}
          className="h-8"
          value={scope}
          onChange={(e) => setScope(e.target.value as keyof typeof scopeLabel)}
          disabled={create.pending}
        >
          {(Object.keys(scopeLabel) as (keyof typeof scopeLabel)[]).map((s) => (
            <option key={s} value={s}>
              {scopeLabel[s]}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField id="api-key-expires" label="Expires" error={errors.expiresInDays} className="w-36">
        <NativeSelect
          {...fieldControlProps("api-key-expires", { error: errors.expiresInDays })}
          className="h-8"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          disabled={create.pending}
        >
          <option value="0">Never</option>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
        </NativeSelect>
      </FormField>
      <Button type="submit" disabled={create.pending} className="mt-[1.375rem]">
        <KeyRound aria-hidden="true" /> {create.pending ? "Creating…" : "Create API key"}
      </Button>
    </form>
  );
}

function RevokeApiKey({ apiKey, onRevoked }: { apiKey: ApiKeyRow; onRevoked: () => void }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const revoke = useOrgAction("revokeApiKey");
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Revoke API key ${apiKey.name}`}>
          Revoke
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Revoke “{apiKey.name}”?</DialogTitle>
          <DialogDescription>
            Requests with this key ({apiKey.prefix}…) get 401 from now on. This cannot be undone;
            create a new key to replace it.
          </DialogDescription>
        </DialogHeader>
        <FormError message={revoke.formError} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Keep key</Button>
          </DialogClose>
          <Button
            variant="destructive"
            disabled={revoke.pending}
            onClick={() =>
              revoke.run({ apiKeyId: apiKey.id }, () => {
                setOpen(false);
                onRevoked();
                toast.success(`API key “${apiKey.name}” revoked`);
                router.refresh();
              })
            }
          >
            {revoke.pending ? "Revoking…" : "Revoke key"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
