"use client";

import { useActionState } from "react";
import { type CreateOrgFormState, createOrganizationAction } from "@/app/orgs/actions";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

/** Name a new organization; a refused name shows its reason next to the field. */
export function CreateOrgForm() {
  const [state, formAction, pending] = useActionState<CreateOrgFormState, FormData>(
    createOrganizationAction,
    {},
  );
  const fields = state.fields ?? {};
  const hint = "You become its owner and can invite teammates from Settings.";
  return (
    <form action={formAction} className="grid gap-4" noValidate>
      <FormField id="name" label="Organization name" error={fields.name} hint={hint} required>
        <Input
          {...fieldControlProps("name", { error: fields.name, hint })}
          name="name"
          autoComplete="organization"
          maxLength={80}
          required
          autoFocus
          defaultValue={state.values?.name}
        />
      </FormField>
      <FormError
        message={state.message && Object.keys(fields).length === 0 ? state.message : null}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create organization"}
      </Button>
    </form>
  );
}
