"use client";

import { useActionState } from "react";
import { type AcceptInviteState, acceptInviteAction } from "@/app/invite/actions";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";

/** The "Join" button of an invite link; a refusal (used, revoked, expired) shows its reason. */
export function AcceptInviteForm({ token, label }: { token: string; label: string }) {
  const [state, formAction, pending] = useActionState<AcceptInviteState, FormData>(
    acceptInviteAction,
    {},
  );
  return (
    <form action={formAction} className="grid gap-3">
      <input type="hidden" name="token" value={token} />
      <FormError message={state.message ?? null} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Joining…" : label}
      </Button>
    </form>
  );
}
